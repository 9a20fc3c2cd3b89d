package org.newsroom.membership.reports;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.HexFormat;
import java.util.List;

/**
 * One row per money movement (PAYMENT, REFUND, DISPUTE, DISPUTE_REVERSAL) that occurred in the
 * range.
 *
 * <p>Currencies: {@code amount}, {@code fee} and {@code net} are the balance transaction's own
 * figures, exactly as Stripe reports them, in the settlement currency; {@code currency} is that
 * currency (so every money column beside it is in it) and {@code settlementCurrency} repeats it
 * under the contract's name. What the donor was charged is in {@code presentmentAmount} and {@code
 * presentmentCurrency}. This keeps {@code net = amount - fee} exact within one currency even when a
 * JPY gift settles in GBP, and lets the summary, grouped by the same {@code currency}, equal the
 * sum of this export to the minor unit; converting settled figures back into the presentment
 * currency would need an exchange rate and would round.
 *
 * <p>{@code sourceArticleUrl}, {@code sourceCampaign} and the {@code utm*} columns say where the
 * gift came from (a renewal: where its contribution came from); {@code recovered} marks a renewal
 * paid after an attempt of it had failed; {@code coveredFee} (in {@code presentmentCurrency}, on
 * PAYMENT rows) is what the donor added to the gift to cover Stripe's fee.
 *
 * <p>Donor emails of erased members (or payments whose email was already removed) are replaced by a
 * stable pseudonym, so rows of one donor still group together without naming them.
 */
final class TransactionsExport {

  static final List<String> COLUMNS =
      List.of(
          "occurredAt",
          "type",
          "paymentId",
          "memberId",
          "donorEmail",
          "frequency",
          "currency",
          "amount",
          "fee",
          "net",
          "settlementCurrency",
          "presentmentCurrency",
          "presentmentAmount",
          "stripeChargeId",
          "stripeInvoiceId",
          "stripePayoutId",
          "balanceTransactionId",
          "sourceArticleUrl",
          "sourceCampaign",
          "utmSource",
          "utmMedium",
          "utmCampaign",
          "recovered",
          "coveredFee");

  /** The rows of both the transactions export and the summary: one definition, equal sums. */
  static final String MOVEMENTS_IN_RANGE =
      " FROM money_movement mm"
          + " JOIN payment p ON p.id = mm.payment_id"
          + " LEFT JOIN member m ON m.id = p.member_id"
          + " WHERE mm.occurred_at >= ? AND mm.occurred_at < ?";

  private static final String SQL =
      "SELECT mm.occurred_at, mm.type, mm.payment_id, p.member_id, p.donor_email, m.erased_at,"
          + " p.frequency, mm.settlement_currency, mm.settlement_amount, mm.fee, mm.net,"
          + " mm.currency, mm.amount, mm.stripe_charge_id, mm.stripe_invoice_id,"
          + " mm.stripe_payout_id, mm.balance_transaction_id, p.source_article_url,"
          + " p.source_campaign, p.utm_source, p.utm_medium, p.utm_campaign, p.recovered,"
          + " p.covered_fee"
          + MOVEMENTS_IN_RANGE
          + " ORDER BY mm.occurred_at, mm.id";

  static final RowExport EXPORT = new RowExport(COLUMNS, SQL, TransactionsExport::cells);

  private static void cells(ResultSet row, TableWriter table) throws SQLException, IOException {
    String settlementCurrency = row.getString(8).trim();
    String presentmentCurrency = row.getString(12).trim();
    table.text(ReportQueries.instant(row, 1).toString());
    table.text(row.getString(2));
    table.text(row.getString(3));
    table.text(row.getString(4));
    table.text(donorEmail(row));
    table.text(row.getString(7));
    table.text(settlementCurrency);
    table.money(row.getLong(9), settlementCurrency);
    table.money(row.getLong(10), settlementCurrency);
    table.money(row.getLong(11), settlementCurrency);
    table.text(settlementCurrency);
    table.text(presentmentCurrency);
    table.money(row.getLong(13), presentmentCurrency);
    table.text(row.getString(14));
    table.text(row.getString(15));
    table.text(row.getString(16));
    table.text(row.getString(17));
    for (int column = 18; column <= 22; column++) {
      table.text(row.getString(column));
    }
    table.text(row.getBoolean(23) ? "true" : "false");
    // What the donor added to cover the fee, in the charge's currency, on the payment's row.
    table.money("PAYMENT".equals(row.getString(2)) ? row.getLong(24) : 0, presentmentCurrency);
  }

  private static String donorEmail(ResultSet row) throws SQLException {
    String email = row.getString(5);
    boolean erased = row.getObject(6) != null;
    if (email != null && !erased) {
      return email;
    }
    String memberId = row.getString(4);
    return pseudonym(memberId != null ? memberId : row.getString(3));
  }

  /** A stable stand-in for an erased donor's email, derived from an id that is exported anyway. */
  static String pseudonym(String id) {
    try {
      byte[] hash =
          MessageDigest.getInstance("SHA-256").digest(id.getBytes(StandardCharsets.UTF_8));
      return "erased-" + HexFormat.of().formatHex(hash, 0, 6);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  private TransactionsExport() {}
}
