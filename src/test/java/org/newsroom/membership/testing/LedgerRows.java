package org.newsroom.membership.testing;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.UUID;

/**
 * Ledger rows written straight into the tables (payments, money movements, recurring
 * contributions), for report and dashboard tests that need months of history in seconds. Stripe ids
 * carry the given run marker so rows of one test run are easy to tell apart.
 */
public final class LedgerRows {

  private final Connection db;
  private final String run;

  public LedgerRows(Connection db, String run) {
    this.db = db;
    this.run = run;
  }

  public UUID member(String email) throws SQLException {
    UUID id = UUID.randomUUID();
    update(
        "INSERT INTO member (id, email, email_normalized, roles, created_at, updated_at)"
            + " VALUES (?, ?, ?, 'READER', ?, ?)",
        id,
        email,
        email.toLowerCase(),
        now(),
        now());
    return id;
  }

  public UUID payment(
      String n, UUID member, String email, long amount, String currency, String frequency)
      throws SQLException {
    UUID id = UUID.randomUUID();
    update(
        "INSERT INTO payment (id, stripe_charge_id, member_id, donor_email, amount, currency,"
            + " frequency, status, paid_at, created_at, updated_at)"
            + " VALUES (?, ?, ?, ?, ?, ?, ?, 'SUCCEEDED', ?, ?, ?)",
        id,
        "ch_" + run + "_" + n,
        member,
        email,
        amount,
        currency,
        frequency,
        now(),
        now(),
        now());
    return id;
  }

  /** A movement whose settlement currency and amount are the charge's own. */
  public void movement(
      String type, UUID payment, String n, long amount, long fee, String currency, String at)
      throws SQLException {
    update(
        "INSERT INTO money_movement (id, type, stripe_object_id, payment_id, stripe_charge_id,"
            + " amount, currency, settlement_amount, fee, net, settlement_currency,"
            + " balance_transaction_id, occurred_at, created_at)"
            + " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        UUID.randomUUID(),
        type,
        type.toLowerCase() + "_" + run + "_" + n + "_" + UUID.randomUUID(),
        payment,
        "ch_" + run + "_" + n,
        amount,
        currency,
        amount,
        fee,
        amount - fee,
        currency,
        "txn_" + UUID.randomUUID(),
        OffsetDateTime.parse(at),
        now());
  }

  public void recurring(
      String n,
      long amount,
      String currency,
      String frequency,
      String status,
      String startedAt,
      String canceledAt)
      throws SQLException {
    update(
        "INSERT INTO recurring_contribution (id, stripe_subscription_id, amount, currency,"
            + " frequency, status, started_at, canceled_at, created_at, updated_at)"
            + " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        UUID.randomUUID(),
        "sub_" + run + "_" + n,
        amount,
        currency,
        frequency,
        status,
        OffsetDateTime.parse(startedAt),
        canceledAt == null ? null : OffsetDateTime.parse(canceledAt),
        now(),
        now());
  }

  public void update(String sql, Object... values) throws SQLException {
    try (PreparedStatement s = db.prepareStatement(sql)) {
      for (int i = 0; i < values.length; i++) {
        s.setObject(i + 1, values[i]);
      }
      s.executeUpdate();
    }
  }

  private static OffsetDateTime now() {
    return OffsetDateTime.now(ZoneOffset.UTC);
  }
}
