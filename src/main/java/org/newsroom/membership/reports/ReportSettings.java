package org.newsroom.membership.reports;

import java.time.ZoneId;
import org.eclipse.microprofile.config.inject.ConfigProperties;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * The {@code reports.*} settings (defaults in {@code microprofile-config.properties}), and the one
 * way a staff endpoint turns its {@code from}, {@code to} and {@code tz} parameters into a range.
 */
@ConfigProperties(prefix = "reports")
public class ReportSettings {

  /** The zone whose days a report counts when the request names none. */
  @ConfigProperty(name = "default-zone")
  String defaultZone;

  /** The longest range one request may cover, so that nobody can ask for a century. */
  @ConfigProperty(name = "max-days")
  int maxDays;

  /** Rows PostgreSQL sends per round trip while an export streams. */
  @ConfigProperty(name = "fetch-size")
  int fetchSize;

  /** The range the parameters name; one 400 problem listing every bad one. */
  public ReportRange range(String from, String to, String tz) {
    return ReportRange.parse(from, to, tz, defaultZone, maxDays);
  }

  int fetchSize() {
    return fetchSize;
  }

  /** The zone of {@code tz}, or the default; 400 for an unknown one. */
  public ZoneId zone(String tz) {
    return ReportRange.zone(tz, defaultZone);
  }
}
