package org.newsroom.membership.dashboard;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.Connection;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.List;
import java.util.UUID;
import org.h2.jdbcx.JdbcDataSource;
import org.junit.jupiter.api.Test;
import org.newsroom.membership.platform.Migrations;
import org.newsroom.membership.reports.ReportQueries;
import org.newsroom.membership.reports.ReportRange;
import org.newsroom.membership.stripe.StripeEventInbox;
import org.newsroom.membership.testing.LedgerRows;

/**
 * The dashboard's SQL on the zero-configuration H2 database (the integration tests run it on
 * PostgreSQL): the same figures from the same rows.
 */
class DashboardOnH2Test {

  @Test
  void theDashboardRunsOnH2AndPlacesMovementsInTheZonesMonths() throws Exception {
    JdbcDataSource h2 = new JdbcDataSource();
    h2.setURL("jdbc:h2:mem:" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1");
    Migrations.flyway(h2, List.of("classpath:db/migration")).migrate();
    try (Connection db = h2.getConnection()) {
      LedgerRows ledger = new LedgerRows(db, "h2");
      UUID member = ledger.member("h2-donor@donors.example");
      UUID p = ledger.payment("1", member, null, 1000, "GBP", "ONE_OFF");
      // 23:30 UTC on 31 October is 1 November in Kathmandu (+05:45).
      ledger.movement("PAYMENT", p, "1", 1000, 35, "GBP", "2031-10-31T23:30:00Z");
      ledger.movement("REFUND", p, "1", -400, 0, "GBP", "2031-11-03T10:00:00Z");
      UUID q = ledger.payment("2", null, "Guest@Donors.example", 5000, "JPY", "ONE_OFF");
      ledger.movement("PAYMENT", q, "2", 5000, 180, "JPY", "2031-11-10T10:00:00Z");
      ledger.movement("DISPUTE", q, "2", -5000, 1500, "JPY", "2031-11-12T10:00:00Z");
      ledger.recurring("m", 600, "GBP", "MONTHLY", "ACTIVE", "2031-10-15T10:00:00Z", null);
      ledger.recurring("a", 1300, "GBP", "ANNUAL", "PAST_DUE", "2031-11-15T10:00:00Z", null);
      ledger.update("UPDATE payment SET recovered = TRUE, covered_fee = 35 WHERE id = ?", p);
    }
    ReportQueries queries = new ReportQueries();
    set(queries, "dataSource", h2);
    org.newsroom.membership.reports.ReportSettings settings =
        new org.newsroom.membership.reports.ReportSettings();
    set(settings, "fetchSize", 100);
    set(queries, "settings", settings);
    Dashboard dashboard = new Dashboard();
    dashboard.queries = queries;
    dashboard.database =
        new org.newsroom.membership.platform.DatabasePlatform() {
          @Override
          public boolean postgres() {
            return false;
          }
        };
    dashboard.inbox =
        new StripeEventInbox() {
          @Override
          public Health health() {
            return new Health(0, 0, null);
          }
        };

    ZoneId kathmandu = ZoneId.of("Asia/Kathmandu");
    Dashboard.Figures figures =
        dashboard.figures(
            ReportRange.of(LocalDate.of(2031, 10, 1), LocalDate.of(2031, 11, 30), kathmandu), true);
    assertThat(figures.givers()).isEqualTo(2);
    Dashboard.CurrencyFigures gbp = currency(figures, "GBP");
    assertThat(List.of(gbp.payments(), gbp.gross(), gbp.refunds(), gbp.fees(), gbp.net()))
        .containsExactly(1L, 1000L, 400L, 35L, 565L);
    assertThat(gbp.series()).extracting(Dashboard.Point::gross).containsExactly(0L, 1000L);
    assertThat(gbp.series()).extracting(Dashboard.Point::mrr).containsExactly(600L, 708L);
    assertThat(List.of(gbp.mrrAtStart(), gbp.mrr(), gbp.pastDue(), gbp.newRecurring()))
        .containsExactly(0L, 708L, 1L, 2L);
    assertThat(List.of(gbp.recovered(), gbp.recoveredAmount(), gbp.feesCovered()))
        .containsExactly(1L, 1000L, 35L);
    Dashboard.CurrencyFigures jpy = currency(figures, "JPY");
    assertThat(List.of(jpy.gross(), jpy.refunds(), jpy.disputes(), jpy.net()))
        .containsExactly(5000L, 5000L, 5000L, 5000L - 180 - 5000 - 1500);

    Dashboard.Figures utc =
        dashboard.figures(
            ReportRange.of(LocalDate.of(2031, 10, 1), LocalDate.of(2031, 11, 30), ZoneId.of("UTC")),
            true);
    assertThat(currency(utc, "GBP").series())
        .extracting(Dashboard.Point::gross)
        .containsExactly(1000L, 0L);
  }

  private static Dashboard.CurrencyFigures currency(Dashboard.Figures figures, String code) {
    return figures.currencies().stream()
        .filter(c -> c.currency().equals(code))
        .findFirst()
        .orElseThrow();
  }

  private static void set(Object target, String field, Object value) throws Exception {
    var f = target.getClass().getDeclaredField(field);
    f.setAccessible(true);
    f.set(target, value);
  }
}
