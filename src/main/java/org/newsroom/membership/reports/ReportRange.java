package org.newsroom.membership.reports;

import jakarta.json.Json;
import jakarta.json.JsonObjectBuilder;
import java.time.DateTimeException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import org.newsroom.membership.platform.ProblemException;
import org.newsroom.membership.platform.ProblemException.FieldError;

/**
 * A report's range: inclusive local dates {@code from..to} in a zone, as the half-open interval of
 * instants {@code [from 00:00, to+1 00:00)} in that zone. A day is the zone's day, so a DST change
 * gives a day of 23 or 25 hours (and a day that starts at 01:00 where midnight does not exist).
 */
public record ReportRange(LocalDate from, LocalDate to, ZoneId zone, Instant start, Instant end) {

  /**
   * Parses and checks the query parameters, reporting every bad field at once as one 400 problem.
   */
  public static ReportRange parse(
      String from, String to, String tz, String defaultZone, int maxDays) {
    List<FieldError> errors = new ArrayList<>();
    LocalDate fromDate = date("from", from, errors);
    LocalDate toDate = date("to", to, errors);
    ZoneId zone = zone(tz == null || tz.isBlank() ? defaultZone : tz, errors);
    if (fromDate != null && toDate != null) {
      if (fromDate.isAfter(toDate)) {
        errors.add(new FieldError("from", "must not be after to"));
      } else if (ChronoUnit.DAYS.between(fromDate, toDate) + 1 > maxDays) {
        errors.add(new FieldError("to", "the range may cover at most " + maxDays + " days"));
      }
    }
    if (!errors.isEmpty()) {
      throw ProblemException.invalid(errors);
    }
    return of(fromDate, toDate, zone);
  }

  /** The parameters a query over the range binds: {@code at >= start AND at < end}. */
  public List<Object> bounds() {
    return List.of(start, end);
  }

  /** How an audit entry states the range: {@code from}, {@code to} and {@code tz}. */
  public JsonObjectBuilder audited() {
    return Json.createObjectBuilder()
        .add("from", from.toString())
        .add("to", to.toString())
        .add("tz", zone.getId());
  }

  public static ReportRange of(LocalDate from, LocalDate to, ZoneId zone) {
    return new ReportRange(
        from,
        to,
        zone,
        from.atStartOfDay(zone).toInstant(),
        to.plusDays(1).atStartOfDay(zone).toInstant());
  }

  /** The zone of {@code tz}, or the default; 400 for an unknown one. */
  public static ZoneId zone(String tz, String defaultZone) {
    List<FieldError> errors = new ArrayList<>();
    ZoneId zone = zone(tz == null || tz.isBlank() ? defaultZone : tz, errors);
    if (!errors.isEmpty()) {
      throw ProblemException.invalid(errors);
    }
    return zone;
  }

  /** A single optional local date parameter; 400 when present and not ISO yyyy-MM-dd. */
  public static LocalDate optionalDate(String field, String value) {
    if (value == null || value.isBlank()) {
      return null;
    }
    List<FieldError> errors = new ArrayList<>();
    LocalDate date = date(field, value, errors);
    if (!errors.isEmpty()) {
      throw ProblemException.invalid(errors);
    }
    return date;
  }

  private static LocalDate date(String field, String value, List<FieldError> errors) {
    if (value == null || value.isBlank()) {
      errors.add(new FieldError(field, "is required (a date such as 2026-11-01)"));
      return null;
    }
    try {
      return LocalDate.parse(value);
    } catch (DateTimeParseException e) {
      errors.add(new FieldError(field, "must be a date such as 2026-11-01"));
      return null;
    }
  }

  private static ZoneId zone(String tz, List<FieldError> errors) {
    // Only region ids (Europe/London, UTC, ...) or fixed offsets; ZoneId.of also rejects
    // malformed ids, and the short ids (EST, ...) are not accepted without an alias map.
    try {
      return ZoneId.of(tz);
    } catch (DateTimeException e) {
      errors.add(new FieldError("tz", "must be an IANA time zone such as Europe/London"));
      return null;
    }
  }
}
