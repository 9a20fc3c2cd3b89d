package org.newsroom.membership.donations;

import jakarta.persistence.Column;
import jakarta.persistence.Embedded;
import jakarta.persistence.Entity;
import jakarta.persistence.EntityManager;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.Id;
import jakarta.persistence.NamedQuery;
import jakarta.persistence.Table;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.UUID;
import org.newsroom.membership.platform.Timestamps;

/** One successful charge: a one-off gift or one paid invoice of a recurring contribution. */
@Entity
@org.eclipse.persistence.annotations.Customizer(NullSafeMappings.class)
@Table(name = "payment")
@NamedQuery(
    name = Payment.OF_GUEST,
    query =
        "SELECT p FROM Payment p WHERE p.donor.memberId IS NULL"
            + " AND p.donor.emailNormalized = :email")
public class Payment {

  static final String OF_GUEST = "Payment.ofGuest";

  /** A guest's payments: no member yet, given with this normalised address. */
  static List<Payment> ofGuest(EntityManager em, String normalisedEmail) {
    return em.createNamedQuery(OF_GUEST, Payment.class)
        .setParameter("email", normalisedEmail)
        .getResultList();
  }

  public enum Status {
    SUCCEEDED,
    FAILED,
    REFUNDED,
    PARTIALLY_REFUNDED,
    DISPUTED
  }

  /** How a dispute ended, as far as this service knows. */
  public enum DisputeStatus {
    OPEN,
    WON,
    LOST
  }

  @Id private UUID id;

  @Column(name = "stripe_charge_id")
  private String stripeChargeId;

  @Column(name = "stripe_payment_intent_id")
  private String stripePaymentIntentId;

  @Column(name = "stripe_invoice_id")
  private String stripeInvoiceId;

  @Column(name = "stripe_customer_id")
  private String stripeCustomerId;

  @jakarta.persistence.Convert(converter = NullableUuid.class)
  @Column(name = "recurring_id")
  private UUID recurringId;

  @Embedded private Donor donor = new Donor();

  @Embedded private Money amount;

  @Enumerated(EnumType.STRING)
  private Frequency frequency;

  @Enumerated(EnumType.STRING)
  private Status status;

  @Column(name = "refunded_amount")
  private long refundedAmount;

  @Enumerated(EnumType.STRING)
  @Column(name = "dispute_status")
  private DisputeStatus disputeStatus;

  @Column(name = "paid_at")
  private OffsetDateTime paidAt;

  /** Of the amount, what the donor added to cover Stripe's fee (written by the ledger's SQL). */
  @Column(name = "covered_fee", insertable = false, updatable = false)
  private long coveredFee;

  /** A renewal paid after an attempt of the same invoice had failed. */
  private boolean recovered;

  @Column(name = "created_at")
  private OffsetDateTime createdAt;

  @Column(name = "receipt_queued_at")
  private OffsetDateTime receiptQueuedAt;

  @Column(name = "updated_at")
  private OffsetDateTime updatedAt;

  protected Payment() {}

  Payment(
      String chargeId, long amount, String currency, Frequency frequency, OffsetDateTime paidAt) {
    this.id = UUID.randomUUID();
    this.stripeChargeId = chargeId;
    this.amount = Money.of(amount, currency);
    this.frequency = frequency;
    this.status = Status.SUCCEEDED;
    this.paidAt = paidAt;
    this.createdAt = Timestamps.now();
    this.updatedAt = createdAt;
  }

  void link(
      String paymentIntentId,
      String invoiceId,
      String customerId,
      UUID recurringId,
      UUID memberId,
      String email) {
    if (stripePaymentIntentId == null) {
      stripePaymentIntentId = paymentIntentId;
    }
    if (stripeInvoiceId == null) {
      stripeInvoiceId = invoiceId;
    }
    if (stripeCustomerId == null) {
      stripeCustomerId = customerId;
    }
    if (this.recurringId == null) {
      this.recurringId = recurringId;
    }
    donor.learn(memberId, email);
    updatedAt = Timestamps.now();
  }

  /** Stripe's cumulative refunded amount; refunds only ever grow. */
  /** This invoice's payment came after a failed attempt of it: money won back. */
  void recoveredFromFailure() {
    if (!recovered) {
      recovered = true;
      updatedAt = Timestamps.now();
    }
  }

  public long coveredFee() {
    return coveredFee;
  }

  public boolean recovered() {
    return recovered;
  }

  void refunded(long totalRefunded) {
    refundedAmount = Math.max(refundedAmount, totalRefunded);
    restate();
  }

  void dispute(DisputeStatus outcome) {
    disputeStatus = outcome;
    restate();
  }

  private void restate() {
    if (disputeStatus == DisputeStatus.OPEN || disputeStatus == DisputeStatus.LOST) {
      status = Status.DISPUTED;
    } else if (refundedAmount >= amount.minor()) {
      status = Status.REFUNDED;
    } else if (refundedAmount > 0) {
      status = Status.PARTIALLY_REFUNDED;
    } else {
      status = Status.SUCCEEDED;
    }
    updatedAt = Timestamps.now();
  }

  /** True the first time only: a receipt is queued once per payment, however often it is seen. */
  boolean receiptDue() {
    if (receiptQueuedAt != null) {
      return false;
    }
    receiptQueuedAt = Timestamps.now();
    return true;
  }

  /** Whether the gift still makes its giver a supporter: not fully refunded, not lost. */
  public boolean stillCounts() {
    return refundedAmount < amount.minor() && disputeStatus != DisputeStatus.LOST;
  }

  public UUID id() {
    return id;
  }

  public String stripeChargeId() {
    return stripeChargeId;
  }

  public String stripeCustomerId() {
    return stripeCustomerId;
  }

  public String stripeInvoiceId() {
    return stripeInvoiceId;
  }

  public Donor donor() {
    return donor;
  }

  public Money amount() {
    return amount;
  }

  public Frequency frequency() {
    return frequency;
  }

  public Status status() {
    return status;
  }

  public long refundedAmount() {
    return refundedAmount;
  }

  public OffsetDateTime paidAt() {
    return paidAt;
  }

  public UUID recurringId() {
    return recurringId;
  }
}
