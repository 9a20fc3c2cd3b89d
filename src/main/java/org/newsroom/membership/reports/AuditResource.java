package org.newsroom.membership.reports;

import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import java.util.List;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.newsroom.membership.accounts.Role;

/** The audit log for administrators: entries between two local dates, oldest first. */
@Path("audit")
@Produces(MediaType.APPLICATION_JSON)
public class AuditResource {

  @Inject ReportAccess access;
  @Inject AuditLog auditLog;

  @Inject
  @ConfigProperty(name = "reports.default-zone", defaultValue = "Europe/London")
  String defaultZone;

  @Inject
  @ConfigProperty(name = "reports.max-days", defaultValue = "400")
  int maxDays;

  public record Entries(List<AuditLog.Entry> entries) {}

  @GET
  public Entries list(
      @QueryParam("from") String from, @QueryParam("to") String to, @QueryParam("tz") String tz) {
    access.require("audit", Role.ADMIN);
    ReportRange range = ReportRange.parse(from, to, tz, defaultZone, maxDays);
    return new Entries(auditLog.list(range.start(), range.end()));
  }
}
