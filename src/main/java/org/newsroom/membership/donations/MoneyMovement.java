package org.newsroom.membership.donations;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.OffsetDateTime;
import java.util.UUID;
import org.newsroom.membership.platform.Timestamps;

/**
 * One movement of money for the finance reports, mirroring one Stripe balance transaction. Rows are
 * only ever added (keyed by type and Stripe object id), so replays never count money twice.
 */
@Entity
@org.eclipse.persistence.annotations.Customizer(NullSafeMappings.class)
@Table(name = "money_movement")
public class MoneyMovement {

  public enum Type {
    PAYMENT,
    REFUND,
    DISPUTE,
    DISPUTE_REVERSAL
  }

  @Id private UUID id;

  @Enumerated(EnumType.STRING)
  private Type type;

  @Column(name = "stripe_object_id")
  private String stripeObjectId;

  @Column(name = "payment_id")
  private UUID paymentId;

  @Column(name = "stripe_charge_id")
  private String stripeChargeId;

  @Column(name = "stripe_invoice_id")
  private String stripeInvoiceId;

  private long amount;
  private String currency;

  @Column(name = "settlement_amount")
  private long settlementAmount;

  private long fee;
  private long net;

  @Column(name = "settlement_currency")
  private String settlementCurrency;

  @Column(name = "balance_transaction_id")
  private String balanceTransactionId;

  @Column(name = "stripe_payout_id")
  private String stripePayoutId;

  @Column(name = "occurred_at")
  private OffsetDateTime occurredAt;

  @Column(name = "created_at")
  private OffsetDateTime createdAt;

  protected MoneyMovement() {}

  MoneyMovement(
      Type type,
      String stripeObjectId,
      Payment payment,
      long signedAmount,
      Ledger.Balance balance,
      OffsetDateTime occurredAt) {
    this.id = UUID.randomUUID();
    this.type = type;
    this.stripeObjectId = stripeObjectId;
    this.paymentId = payment.id();
    this.stripeChargeId = payment.stripeChargeId();
    this.stripeInvoiceId = payment.stripeInvoiceId();
    this.amount = signedAmount;
    this.currency = payment.amount().currency();
    this.settlementAmount = balance.amount();
    this.fee = balance.fee();
    this.net = balance.net();
    this.settlementCurrency = balance.currency();
    this.balanceTransactionId = balance.id();
    this.occurredAt = occurredAt;
    this.createdAt = Timestamps.now();
  }

  public Type type() {
    return type;
  }

  public long amount() {
    return amount;
  }

  public long fee() {
    return fee;
  }

  public long net() {
    return net;
  }
}
