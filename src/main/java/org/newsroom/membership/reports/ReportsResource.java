package org.newsroom.membership.reports;

import jakarta.inject.Inject;
import jakarta.json.Json;
import jakarta.json.JsonObjectBuilder;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.StreamingOutput;
import java.io.IOException;
import java.time.LocalDate;
import java.time.ZoneId;
import org.eclipse.microprofile.config.inject.ConfigProperties;
import org.eclipse.microprofile.metrics.MetricRegistry;
import org.eclipse.microprofile.metrics.Tag;
import org.newsroom.membership.accounts.Member;
import org.newsroom.membership.accounts.Role;
import org.newsroom.membership.accounts.StaffAccess;
import org.newsroom.membership.accounts.StaffOnly;
import org.newsroom.membership.platform.AuditLog;

/**
 * Finance exports (FINANCE or ADMIN). Each request is checked in this order: role (401/403,
 * logged), parameters (400), then an audit entry is committed, then the rows stream to the client.
 */
@Path("reports")
public class ReportsResource {

  @Inject StaffAccess access;
  @Inject AuditLog auditLog;
  @Inject ReportQueries queries;
  @Inject SummaryReport summary;
  @Inject RecurringReport recurring;
  @Inject MetricRegistry metrics;

  @Inject @ConfigProperties ReportSettings settings;

  @GET
  @Path("transactions")
  @StaffOnly(
      area = "transactions",
      value = {Role.FINANCE, Role.ADMIN})
  public Response transactions(
      @QueryParam("from") String from,
      @QueryParam("to") String to,
      @QueryParam("tz") String tz,
      @QueryParam("format") String format) {
    return rangeExport(
        access.admitted(), "transactions", from, to, tz, format, TransactionsExport.EXPORT);
  }

  @GET
  @Path("summary")
  @StaffOnly(
      area = "summary",
      value = {Role.FINANCE, Role.ADMIN})
  public Response summary(
      @QueryParam("from") String from,
      @QueryParam("to") String to,
      @QueryParam("tz") String tz,
      @QueryParam("groupBy") String groupBy,
      @QueryParam("by") String by,
      @QueryParam("format") String format)
      throws IOException {
    Member member = access.admitted();
    ExportFormat exportFormat =
        ExportFormat.parse(
            format, ExportFormat.JSON, ExportFormat.JSON, ExportFormat.CSV, ExportFormat.XLSX);
    SummaryReport.GroupBy grouping = SummaryReport.GroupBy.parse(groupBy);
    SummaryReport.By split = SummaryReport.By.parse(by);
    ReportRange range = settings.range(from, to, tz);
    audit(
        member,
        "summary",
        exportFormat,
        range
            .audited()
            .add("groupBy", grouping.name().toLowerCase(java.util.Locale.ROOT))
            .add("by", split.toString()));
    if (exportFormat == ExportFormat.JSON) {
      return Response.ok(new SummaryReport.Rows(summary.rows(range, grouping, split)))
          .type(exportFormat.mediaType())
          .build();
    }
    return attachment(
        "summary-" + range.from() + "_" + range.to(),
        exportFormat,
        table -> SummaryReport.write(summary.rows(range, grouping, split), split, table));
  }

  @GET
  @Path("recurring")
  @StaffOnly(
      area = "recurring",
      value = {Role.FINANCE, Role.ADMIN})
  public Response recurring(
      @QueryParam("asOf") String asOf,
      @QueryParam("tz") String tz,
      @QueryParam("format") String format) {
    Member member = access.admitted();
    ExportFormat exportFormat =
        ExportFormat.parse(format, ExportFormat.CSV, ExportFormat.CSV, ExportFormat.XLSX);
    ZoneId zone = settings.zone(tz);
    LocalDate day = ReportRange.optionalDate("asOf", asOf);
    ReportRange asOfDay = ReportRange.of(asOfDate(day, zone), asOfDate(day, zone), zone);
    audit(
        member,
        "recurring",
        exportFormat,
        Json.createObjectBuilder().add("asOf", asOfDay.to().toString()).add("tz", zone.getId()));
    return attachment(
        "recurring-" + asOfDay.to(), exportFormat, table -> recurring.write(asOfDay, table));
  }

  @GET
  @Path("payouts")
  @StaffOnly(
      area = "payouts",
      value = {Role.FINANCE, Role.ADMIN})
  public Response payouts(
      @QueryParam("from") String from,
      @QueryParam("to") String to,
      @QueryParam("tz") String tz,
      @QueryParam("format") String format) {
    return rangeExport(
        access.admitted(), "payouts", from, to, tz, format, PayoutReconciliation.EXPORT);
  }

  @FunctionalInterface
  interface TableBody {
    void write(TableWriter table) throws IOException;
  }

  /** A CSV or XLSX export of the rows in a date range: parsed, audited, then streamed. */
  private Response rangeExport(
      Member member,
      String report,
      String from,
      String to,
      String tz,
      String format,
      RowExport rows) {
    ExportFormat exportFormat =
        ExportFormat.parse(format, ExportFormat.CSV, ExportFormat.CSV, ExportFormat.XLSX);
    ReportRange range = settings.range(from, to, tz);
    audit(member, report, exportFormat, range.audited());
    return attachment(
        report + "-" + range.from() + "_" + range.to(),
        exportFormat,
        table -> queries.table(table, rows, range.bounds()));
  }

  private void audit(Member member, String report, ExportFormat format, JsonObjectBuilder params) {
    metrics
        .counter("report.exports", new Tag("report", report), new Tag("format", format.toString()))
        .inc();
    auditLog.record(
        member.id().toString(),
        "report.export",
        report,
        params.add("report", report).add("format", format.toString()).build());
  }

  /**
   * Streams the table as a download. Whatever happens while writing (a failed write because the
   * client went away, a database error), the table and with it any temporary file are closed.
   */
  private static Response attachment(String name, ExportFormat format, TableBody body) {
    StreamingOutput output =
        out -> {
          try (TableWriter table = TableWriter.open(format, out, sheetName(name))) {
            body.write(table);
            table.finish();
          }
        };
    return Response.ok(output)
        .type(format.mediaType())
        .header(
            HttpHeaders.CONTENT_DISPOSITION,
            "attachment; filename=\"" + name + "." + format.extension() + "\"")
        .build();
  }

  private static LocalDate asOfDate(LocalDate day, ZoneId zone) {
    return day == null ? LocalDate.now(zone) : day;
  }

  private static String sheetName(String name) {
    String sheet = name.replaceAll("[\\\\/?*\\[\\]:]", "-");
    return sheet.length() > 31 ? sheet.substring(0, 31) : sheet;
  }
}
