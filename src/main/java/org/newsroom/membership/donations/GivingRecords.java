package org.newsroom.membership.donations;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.persistence.PersistenceContext;
import jakarta.transaction.Transactional;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.newsroom.membership.platform.ProblemException;
import org.newsroom.membership.platform.ProblemType;

/**
 * A reader's giving as supporter care sees it: with the Stripe ids a reader quotes from a bank
 * statement or receipt, and the refunds and disputes behind each payment. Refunds are asked of
 * Stripe only; the ledger follows from the {@code charge.refunded} webhook as for any refund.
 */
@ApplicationScoped
public class GivingRecords {

  private static final Logger LOG = Logger.getLogger(GivingRecords.class.getName());

  @PersistenceContext EntityManager em;
  @Inject PaymentGateway gateway;

  @jakarta.json.bind.annotation.JsonbNillable
  public record PaymentRecord(
      UUID id,
      long amount,
      String currency,
      int currencyDecimals,
      String frequency,
      String status,
      long refundedAmount,
      String disputeStatus,
      Instant paidAt,
      UUID recurringId,
      String stripeChargeId,
      String stripePaymentIntentId,
      String stripeInvoiceId,
      String stripeCustomerId) {}

  /** A refund, dispute or dispute reversal of one of the reader's payments (amount signed). */
  public record MovementRecord(
      UUID paymentId,
      String type,
      long amount,
      String currency,
      int currencyDecimals,
      String stripeObjectId,
      Instant occurredAt) {}

  @jakarta.json.bind.annotation.JsonbNillable
  public record RecurringRecord(
      ContributionViews.RecurringView contribution,
      String stripeSubscriptionId,
      String stripeCustomerId) {}

  /** The refund Stripe accepted; the payment shows it once the webhook arrives. */
  public record RefundRequested(
      String refundId, UUID paymentId, long amount, String currency, String status) {}

  public record Giving(
      List<RecurringRecord> recurring,
      List<PaymentRecord> payments,
      List<MovementRecord> refunds,
      List<MovementRecord> disputes) {}

  @Transactional(Transactional.TxType.SUPPORTS)
  public Giving of(UUID memberId) {
    List<RecurringRecord> recurring =
        RecurringContribution.ofMember(em, memberId).stream()
            .map(
                c ->
                    new RecurringRecord(
                        ContributionViews.RecurringView.of(c),
                        c.stripeSubscriptionId(),
                        c.stripeCustomerId()))
            .toList();
    List<PaymentRecord> payments =
        payments(
            em.createNativeQuery(PAYMENTS + " WHERE member_id = ? ORDER BY paid_at DESC")
                .setParameter(1, memberId));
    List<MovementRecord> movements =
        rows(
                "SELECT m.payment_id, m.type, m.amount, m.currency, m.stripe_object_id,"
                    + " m.occurred_at FROM money_movement m JOIN payment p ON p.id = m.payment_id"
                    + " WHERE p.member_id = ? AND m.type <> 'PAYMENT' ORDER BY m.occurred_at DESC",
                memberId)
            .stream()
            .map(
                r ->
                    new MovementRecord(
                        uuid(r[0]),
                        (String) r[1],
                        ((Number) r[2]).longValue(),
                        ((String) r[3]).trim(),
                        Money.exponent(((String) r[3]).trim()),
                        (String) r[4],
                        instant(r[5])))
            .toList();
    return new Giving(
        recurring,
        payments,
        movements.stream().filter(m -> m.type().equals("REFUND")).toList(),
        movements.stream().filter(m -> !m.type().equals("REFUND")).toList());
  }

  private static final String PAYMENTS =
      "SELECT id, amount, currency, frequency, status, refunded_amount, dispute_status,"
          + " paid_at, recurring_id, stripe_charge_id, stripe_payment_intent_id,"
          + " stripe_invoice_id, stripe_customer_id FROM payment";

  /** The member's successful payments with {@code from <= paidAt < to}, oldest first. */
  @Transactional(Transactional.TxType.SUPPORTS)
  public List<PaymentRecord> paymentsBetween(UUID memberId, Instant from, Instant to) {
    return payments(
        em.createNativeQuery(
                PAYMENTS
                    + " WHERE member_id = ? AND paid_at >= ? AND paid_at < ? AND status <> 'FAILED'"
                    + " ORDER BY paid_at, id")
            .setParameter(1, memberId)
            .setParameter(2, OffsetDateTime.ofInstant(from, java.time.ZoneOffset.UTC))
            .setParameter(3, OffsetDateTime.ofInstant(to, java.time.ZoneOffset.UTC)));
  }

  @SuppressWarnings("unchecked")
  private static List<PaymentRecord> payments(jakarta.persistence.Query query) {
    return ((List<Object[]>) query.getResultList())
        .stream()
            .map(
                r ->
                    new PaymentRecord(
                        uuid(r[0]),
                        ((Number) r[1]).longValue(),
                        ((String) r[2]).trim(),
                        Money.exponent(((String) r[2]).trim()),
                        (String) r[3],
                        (String) r[4],
                        ((Number) r[5]).longValue(),
                        (String) r[6],
                        instant(r[7]),
                        uuid(r[8]),
                        (String) r[9],
                        (String) r[10],
                        (String) r[11],
                        (String) r[12]))
            .toList();
  }

  /**
   * Members behind any Stripe id a reader may quote: customer, subscription, invoice, charge or
   * payment intent. Exact matches on indexed columns only.
   */
  @Transactional(Transactional.TxType.SUPPORTS)
  public Set<UUID> membersByStripeId(String stripeId) {
    Set<UUID> ids = new LinkedHashSet<>();
    String[] queries = {
      "SELECT member_id FROM stripe_customer WHERE customer_id = ?",
      "SELECT member_id FROM recurring_contribution WHERE stripe_subscription_id = ?",
      "SELECT member_id FROM recurring_contribution WHERE stripe_customer_id = ?",
      "SELECT member_id FROM payment WHERE stripe_charge_id = ?",
      "SELECT member_id FROM payment WHERE stripe_invoice_id = ?",
      "SELECT member_id FROM payment WHERE stripe_payment_intent_id = ?",
      "SELECT member_id FROM payment WHERE stripe_customer_id = ?"
    };
    for (String sql : queries) {
      for (Object id : em.createNativeQuery(sql).setParameter(1, stripeId).getResultList()) {
        if (id != null) {
          ids.add(uuid(id));
        }
      }
    }
    return ids;
  }

  /**
   * Asks Stripe to refund {@code amount} (null: what is left) of the member's payment. Checked
   * against what the ledger knows: a fully refunded or disputed payment cannot be refunded, nor
   * more than is left. No transaction is held while Stripe answers.
   */
  public RefundRequested refund(
      UUID memberId, UUID paymentId, Long amount, Map<String, String> metadata, String key) {
    Payment p = em.find(Payment.class, paymentId);
    if (p == null || !p.donor().is(memberId)) {
      throw ProblemException.notFound("No such payment of this reader.");
    }
    if (p.status() == Payment.Status.DISPUTED) {
      throw new ProblemException(
          ProblemType.PAYMENT_DISPUTED,
          "A disputed payment is settled through the dispute, not refunded.");
    }
    long left = p.amount().minor() - p.refundedAmount();
    if (p.status() == Payment.Status.FAILED || left <= 0) {
      throw new ProblemException(ProblemType.NOTHING_TO_REFUND, "Nothing of this payment is left.");
    }
    if (amount != null && amount > left) {
      throw ProblemException.validation(
          "amount",
          "must be at most " + Money.display(left, p.amount().currency()) + ", what is left");
    }
    long refund = amount == null ? left : amount;
    PaymentGateway.RefundCreated r;
    try {
      r = gateway.refund(p.stripeChargeId(), refund, metadata, key);
    } catch (PaymentGateway.Unavailable | PaymentGateway.Refused e) {
      LOG.log(Level.WARNING, "Stripe refused or failed a refund of " + paymentId, e);
      throw PaymentGateway.unavailable();
    }
    return new RefundRequested(
        r.id(),
        paymentId,
        r.amount() != null ? r.amount() : refund,
        p.amount().currency(),
        r.status());
  }

  @SuppressWarnings("unchecked")
  private List<Object[]> rows(String sql, Object param) {
    return em.createNativeQuery(sql).setParameter(1, param).getResultList();
  }

  private static UUID uuid(Object o) {
    return o == null ? null : o instanceof UUID u ? u : UUID.fromString(o.toString());
  }

  private static Instant instant(Object o) {
    if (o == null) {
      return null;
    }
    if (o instanceof OffsetDateTime t) {
      return t.toInstant();
    }
    if (o instanceof java.sql.Timestamp t) {
      return t.toInstant();
    }
    if (o instanceof Instant i) {
      return i;
    }
    return OffsetDateTime.parse(o.toString()).toInstant();
  }
}
