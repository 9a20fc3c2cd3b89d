package org.newsroom.membership.reports;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.io.IOException;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.List;

/**
 * Recurring contributions active at the end of the {@code asOf} day, by currency and frequency,
 * with monthly recurring revenue in minor units: a monthly contribution counts its amount, an
 * annual one a twelfth of it (rounded half up once per group, not per contribution), a paused one
 * nothing. A contribution counts when it had started by then and was not cancelled by then; the
 * table holds only the current status, so "paused" means paused now, and so does {@code pastDue} (a
 * renewal failed and awaits a new card or Stripe's retry).
 */
@ApplicationScoped
public class RecurringReport {

  static final List<String> COLUMNS =
      List.of("asOf", "currency", "frequency", "active", "paused", "amount", "mrr", "pastDue");

  private static final String SQL =
      "SELECT currency, frequency, COUNT(*),"
          + " SUM(CASE WHEN status = 'PAUSED' THEN 1 ELSE 0 END),"
          + " SUM(CASE WHEN status = 'PAUSED' THEN 0 ELSE amount END),"
          + " SUM(CASE WHEN status = 'PAST_DUE' THEN 1 ELSE 0 END)"
          + " FROM recurring_contribution"
          + " WHERE frequency IN ('MONTHLY', 'ANNUAL') AND status <> 'INCOMPLETE'"
          + " AND COALESCE(started_at, created_at) < ?"
          + " AND (canceled_at IS NULL OR canceled_at >= ?)"
          + " AND NOT (status = 'CANCELED' AND canceled_at IS NULL)"
          + " GROUP BY currency, frequency ORDER BY currency, frequency";

  @Inject ReportQueries queries;

  public void write(ReportRange asOf, TableWriter table) throws IOException {
    RowExport groups =
        new RowExport(
            COLUMNS,
            SQL,
            (row, cells) -> {
              String currency = row.getString(1).trim();
              String frequency = row.getString(2);
              long collecting = row.getLong(5);
              cells.text(asOf.to().toString());
              cells.text(currency);
              cells.text(frequency);
              cells.number(row.getLong(3));
              cells.number(row.getLong(4));
              cells.money(collecting, currency);
              cells.money(monthly(collecting, frequency), currency);
              cells.number(row.getLong(6));
            });
    queries.table(table, groups, List.of(asOf.end(), asOf.end()));
  }

  static long monthly(long amount, String frequency) {
    return "ANNUAL".equals(frequency)
        ? BigDecimal.valueOf(amount)
            .divide(BigDecimal.valueOf(12), 0, RoundingMode.HALF_UP)
            .longValueExact()
        : amount;
  }
}
