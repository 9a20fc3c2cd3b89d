package org.newsroom.membership.dashboard;

import jakarta.inject.Inject;
import jakarta.json.bind.annotation.JsonbNillable;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import java.io.IOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.temporal.ChronoUnit;
import java.util.List;
import org.eclipse.microprofile.config.inject.ConfigProperties;
import org.newsroom.membership.accounts.Member;
import org.newsroom.membership.accounts.Role;
import org.newsroom.membership.accounts.StaffAccess;
import org.newsroom.membership.accounts.StaffOnly;
import org.newsroom.membership.platform.AuditLog;
import org.newsroom.membership.reports.ReportRange;
import org.newsroom.membership.reports.ReportSettings;
import org.newsroom.membership.reports.SummaryReport;

/**
 * {@code GET /api/reports/dashboard}: the month at a glance for FINANCE and ADMIN, with the same
 * gate, parameters and audit as the exports. Without {@code from} and {@code to} it shows the
 * current month so far in the zone; {@code groupBy} defaults to days for ranges up to 62 days and
 * months beyond.
 */
@Path("reports/dashboard")
@StaffOnly(
    area = "dashboard",
    value = {Role.FINANCE, Role.ADMIN})
@Produces(MediaType.APPLICATION_JSON)
public class DashboardResource {

  static final int DAILY_UP_TO_DAYS = 62;

  @Inject StaffAccess access;
  @Inject AuditLog auditLog;
  @Inject Dashboard dashboard;

  @Inject @ConfigProperties ReportSettings settings;

  /** Where the rows behind each figure are: the exports for the same range and zone. */
  public record Links(String transactions, String summary, String recurring, String stripeInbox) {}

  @JsonbNillable
  public record View(
      LocalDate from,
      LocalDate to,
      String tz,
      String groupBy,
      long givers,
      List<Dashboard.CurrencyFigures> currencies,
      Dashboard.Inbox inbox,
      Links links) {}

  @GET
  public View dashboard(
      @QueryParam("from") String from,
      @QueryParam("to") String to,
      @QueryParam("tz") String tz,
      @QueryParam("groupBy") String groupBy)
      throws IOException {
    Member member = access.admitted();
    ReportRange range;
    if (blank(from) && blank(to)) {
      ZoneId zone = settings.zone(tz);
      LocalDate today = LocalDate.now(zone);
      range = ReportRange.of(today.withDayOfMonth(1), today, zone);
    } else {
      range = settings.range(from, to, tz);
    }
    boolean monthly =
        blank(groupBy)
            ? ChronoUnit.DAYS.between(range.from(), range.to()) + 1 > DAILY_UP_TO_DAYS
            : SummaryReport.GroupBy.parse(groupBy) == SummaryReport.GroupBy.MONTH;
    String grouping = monthly ? "month" : "day";
    auditLog.record(
        member.id().toString(),
        "report.view",
        "dashboard",
        range.audited().add("report", "dashboard").add("groupBy", grouping).build());
    Dashboard.Figures figures = dashboard.figures(range, monthly);
    return new View(
        range.from(),
        range.to(),
        range.zone().getId(),
        grouping,
        figures.givers(),
        figures.currencies(),
        figures.inbox(),
        links(range, grouping));
  }

  private static Links links(ReportRange range, String grouping) {
    String query =
        "from="
            + range.from()
            + "&to="
            + range.to()
            + "&tz="
            + URLEncoder.encode(range.zone().getId(), StandardCharsets.UTF_8);
    return new Links(
        "/api/reports/transactions?" + query + "&format=csv",
        "/api/reports/summary?" + query + "&groupBy=" + grouping + "&format=csv",
        "/api/reports/recurring?asOf="
            + range.to()
            + "&tz="
            + URLEncoder.encode(range.zone().getId(), StandardCharsets.UTF_8)
            + "&format=csv",
        "/api/admin/stripe-events?status=PENDING");
  }

  private static boolean blank(String value) {
    return value == null || value.isBlank();
  }
}
