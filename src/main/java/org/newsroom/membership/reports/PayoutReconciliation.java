package org.newsroom.membership.reports;

import java.io.IOException;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.List;

/**
 * Each Stripe payout that arrived (or, before it has an arrival date, was created) in the range,
 * beside the sum of the net of the balance transactions Stripe says it settled, and the difference
 * {@code amount - balanceTransactionsNet}, which is zero when the payout reconciles. The payout's
 * own balance transaction (type {@code payout}) is left out of the sum, as Stripe's payout
 * reconciliation does.
 */
final class PayoutReconciliation {

  static final List<String> COLUMNS =
      List.of(
          "stripePayoutId",
          "status",
          "createdAt",
          "arrivalDate",
          "currency",
          "amount",
          "balanceTransactions",
          "balanceTransactionsNet",
          "difference");

  private static final String SQL =
      "SELECT po.stripe_payout_id, po.status, po.created_at, po.arrival_date, po.currency,"
          + " po.amount, COUNT(bt.balance_transaction_id), COALESCE(SUM(bt.net), 0)"
          + " FROM payout po LEFT JOIN payout_balance_transaction bt"
          + " ON bt.stripe_payout_id = po.stripe_payout_id AND bt.type <> 'payout'"
          + " WHERE COALESCE(po.arrival_date, po.created_at) >= ?"
          + " AND COALESCE(po.arrival_date, po.created_at) < ?"
          + " GROUP BY po.stripe_payout_id, po.status, po.created_at, po.arrival_date,"
          + " po.currency, po.amount"
          + " ORDER BY COALESCE(po.arrival_date, po.created_at), po.stripe_payout_id";

  static final RowExport EXPORT = new RowExport(COLUMNS, SQL, PayoutReconciliation::cells);

  private static void cells(ResultSet row, TableWriter table) throws SQLException, IOException {
    String currency = row.getString(5).trim();
    long amount = row.getLong(6);
    long settled = row.getLong(8);
    Instant arrival = ReportQueries.instant(row, 4);
    table.text(row.getString(1));
    table.text(row.getString(2));
    table.text(ReportQueries.instant(row, 3).toString());
    table.text(arrival == null ? null : arrival.toString());
    table.text(currency);
    table.money(amount, currency);
    table.number(row.getLong(7));
    table.money(settled, currency);
    table.money(amount - settled, currency);
  }

  private PayoutReconciliation() {}
}
