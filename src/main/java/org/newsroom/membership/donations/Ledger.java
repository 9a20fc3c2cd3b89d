package org.newsroom.membership.donations;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Event;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.persistence.LockModeType;
import jakarta.persistence.PersistenceContext;
import jakarta.transaction.Transactional;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.YearMonth;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.eclipse.persistence.config.HintValues;
import org.eclipse.persistence.config.QueryHints;
import org.newsroom.membership.accounts.Member;
import org.newsroom.membership.accounts.MemberChanged;

/**
 * Records what Stripe reports about money: subscriptions, payments, refunds, disputes and payouts.
 * The Stripe feature calls it with plain facts it read from events or the API; every method is an
 * idempotent upsert keyed by Stripe ids, so a duplicate, replayed or re-synced fact changes
 * nothing.
 */
@ApplicationScoped
@Transactional
public class Ledger {

  @PersistenceContext EntityManager em;
  @Inject Event<MemberChanged> memberChanged;
  @Inject ContributionMails mails;
  @Inject Event<PaymentRecorded> paymentRecorded;

  /** What a source knows about a subscription; null fields are unknown and left as they are. */
  public record SubscriptionState(
      String subscriptionId,
      String customerId,
      UUID memberId,
      String email,
      Long amount,
      String currency,
      Frequency frequency,
      RecurringStatus status,
      Boolean cancelAtPeriodEnd,
      Instant currentPeriodEnd,
      Instant resumesOn,
      Instant startedAt,
      String cancelReason) {}

  /** One successful charge. */
  public record Charge(
      String chargeId,
      String paymentIntentId,
      String invoiceId,
      String subscriptionId,
      String customerId,
      UUID memberId,
      String email,
      long amount,
      String currency,
      Frequency frequency,
      Instant paidAt,
      long amountRefunded,
      YearMonth cardExpiry) {}

  /**
   * A dispute of a charge as Stripe last reported it: the withdrawal when it opened and, if it was
   * won, the reinstatement. Either balance is null while Stripe has not moved the money yet.
   */
  public record Dispute(
      String disputeId,
      String chargeId,
      Payment.DisputeStatus outcome,
      long amount,
      Balance withdrawal,
      Instant withdrawnAt,
      Balance reinstatement,
      Instant reinstatedAt) {}

  /** A Stripe balance transaction: amount, fee and net in the settlement currency. */
  /**
   * A refund of a recorded charge. {@code totalRefunded} is Stripe's cumulative figure for the
   * charge; without a {@code refundId} only that total is recorded (Stripe named no refund).
   */
  public record Refund(
      String chargeId,
      String refundId,
      long amount,
      Balance balance,
      Instant at,
      long totalRefunded) {

    public static Refund totalOnly(String chargeId, long totalRefunded) {
      return new Refund(chargeId, null, 0, null, null, totalRefunded);
    }
  }

  /** A payout and the balance transactions it settled. */
  public record Payout(
      String payoutId,
      long amount,
      String currency,
      String status,
      Instant arrival,
      List<PayoutLine> lines) {}

  public record Balance(String id, long amount, long fee, long net, String currency) {}

  /** One balance transaction a payout settled. */
  public record PayoutLine(
      String balanceTransactionId,
      String type,
      String sourceId,
      long amount,
      long fee,
      long net,
      String currency,
      Instant created) {}

  public Optional<RecurringContribution> contribution(String subscriptionId) {
    return em.createQuery(
            "SELECT c FROM RecurringContribution c WHERE c.stripeSubscriptionId = :s",
            RecurringContribution.class)
        .setParameter("s", subscriptionId)
        .getResultStream()
        .findFirst();
  }

  public boolean knowsSubscription(String subscriptionId) {
    return contribution(subscriptionId).isPresent();
  }

  /**
   * The contribution read with {@code SELECT ... FOR UPDATE} and refreshed from the row: appliers
   * run side by side, and without the lock two events of one subscription could both pass the
   * event-time guard on the same stale row and the older one commit last. A row that does not exist
   * yet cannot be locked; two appliers creating it meet the unique key and the loser's event is
   * retried, when the row is there to lock.
   */
  private Optional<RecurringContribution> lockedContribution(String subscriptionId) {
    return em.createQuery(
            "SELECT c FROM RecurringContribution c WHERE c.stripeSubscriptionId = :s",
            RecurringContribution.class)
        .setParameter("s", subscriptionId)
        .setLockMode(LockModeType.PESSIMISTIC_WRITE)
        .setHint(QueryHints.REFRESH, HintValues.TRUE)
        .getResultStream()
        .findFirst();
  }

  /**
   * Applies a subscription's state as of Stripe time {@code created} (epoch seconds). Who it
   * belongs to is filled in whenever it becomes known; the state itself only moves forward in
   * Stripe time. Returns false when the fact was older than what the row already shows.
   */
  public boolean applySubscription(SubscriptionState s, long created) {
    RecurringContribution c = lockedContribution(s.subscriptionId()).orElse(null);
    if (c == null) {
      if (s.amount() == null || s.currency() == null || s.frequency() == null) {
        throw new IllegalStateException(
            "Subscription " + s.subscriptionId() + " is unknown and its price is not given");
      }
      c = new RecurringContribution(s.subscriptionId(), s.amount(), s.currency(), s.frequency());
      em.persist(c);
      // Meets a concurrent creator's unique key here, before any other work.
      em.flush();
    }
    UUID memberId = s.memberId() != null ? s.memberId() : memberOfCustomer(s.customerId());
    c.attribute(memberId, s.email(), s.customerId());
    if (!c.acceptsEventCreatedAt(created)) {
      changed(c.donor().memberId());
      return false;
    }
    if (c.applyStripeState(s)) {
      // Stripe gave up retrying: the gift ends for non-payment. Say so, with a way back.
      mails.endedUnpaid(c);
    }
    changed(c.donor().memberId());
    return true;
  }

  /**
   * A renewal failed: the contribution is past due (if that is news in Stripe time) and the reader
   * hears about each failed attempt of an invoice once.
   */
  public void paymentFailed(String subscriptionId, String invoiceAttempt, long created) {
    paymentFailed(subscriptionId, invoiceAttempt, created, 0, null);
  }

  /**
   * As above, knowing which attempt of the invoice failed and when Stripe tries next (null: no
   * further attempt): when that next one is Stripe's last, the mail is a last notice.
   */
  public void paymentFailed(
      String subscriptionId,
      String invoiceAttempt,
      long created,
      int attempt,
      Instant nextAttempt) {
    RecurringContribution c =
        lockedContribution(subscriptionId)
            .orElseThrow(
                () -> new IllegalStateException("Subscription " + subscriptionId + " unknown"));
    if (c.acceptsEventCreatedAt(created)) {
      c.pastDue();
    }
    // The invoice may already be paid (a retry's invoice.paid applied before this failure): then
    // that payment is the recovery, and the contribution is not unpaid any more.
    String invoiceId = invoiceAttempt.split("#", 2)[0];
    List<Payment> paid =
        em.createQuery("SELECT p FROM Payment p WHERE p.stripeInvoiceId = :i", Payment.class)
            .setParameter("i", invoiceId)
            .getResultList();
    paid.forEach(Payment::recoveredFromFailure);
    if (paid.isEmpty()) {
      c.unpaid();
    }
    if (c.firstNoticeOfFailure(invoiceAttempt)) {
      if (nextAttempt != null && attempt > 0 && attempt + 1 >= mails.finalAttempt()) {
        mails.lastNotice(c, nextAttempt);
      } else {
        mails.paymentFailed(c);
      }
    }
    changed(c.donor().memberId());
  }

  /**
   * A card the customer attached at Stripe time {@code created} (the billing portal's new card):
   * their contributions renew on it from now on.
   */
  public void cardAttached(String customerId, YearMonth expiry, long created) {
    em.createQuery(
            "SELECT c FROM RecurringContribution c WHERE c.stripeCustomerId = :c",
            RecurringContribution.class)
        .setParameter("c", customerId)
        .setLockMode(LockModeType.PESSIMISTIC_WRITE)
        .getResultList()
        .forEach(c -> c.cardOnFile(expiry, created));
  }

  public boolean hasPayment(String chargeId) {
    return payment(chargeId).isPresent();
  }

  public boolean hasMovement(MoneyMovement.Type type, String stripeObjectId) {
    return !em.createQuery(
            "SELECT m.id FROM MoneyMovement m WHERE m.type = :t AND m.stripeObjectId = :o")
        .setParameter("t", type)
        .setParameter("o", stripeObjectId)
        .getResultList()
        .isEmpty();
  }

  /** Records a successful charge and its PAYMENT movement, once per charge id. */
  public Payment recordPayment(Charge charge, Balance balance) {
    // The contribution is locked before the payment is written: the payment's foreign key takes a
    // share lock on the contribution's row, and two renewals each holding one while waiting for
    // the row lock of applySubscription would deadlock.
    RecurringContribution contribution =
        charge.subscriptionId() == null
            ? null
            : lockedContribution(charge.subscriptionId()).orElse(null);
    Payment payment = lockedPayment(charge.chargeId()).orElse(null);
    if (payment == null) {
      Frequency frequency =
          charge.frequency() != null
              ? charge.frequency()
              : contribution != null ? contribution.frequency() : Frequency.ONE_OFF;
      payment =
          new Payment(
              charge.chargeId(),
              charge.amount(),
              charge.currency(),
              frequency,
              at(charge.paidAt()));
      em.persist(payment);
      em.flush();
      if (contribution != null) {
        contribution.paidAgain();
      }
    }
    UUID memberId = charge.memberId();
    if (memberId == null) {
      memberId = memberOfCustomer(charge.customerId());
    }
    if (memberId == null && contribution != null) {
      memberId = contribution.donor().memberId();
    }
    String email = charge.email();
    if (email == null && contribution != null) {
      email = contribution.donor().email();
    }
    payment.link(
        charge.paymentIntentId(),
        charge.invoiceId(),
        charge.customerId(),
        contribution == null ? null : contribution.id(),
        memberId,
        email);
    if (charge.amountRefunded() > 0) {
      payment.refunded(charge.amountRefunded());
    }
    if (contribution != null && charge.cardExpiry() != null) {
      contribution.cardOnFile(charge.cardExpiry(), charge.paidAt().getEpochSecond());
    }
    if (contribution != null && contribution.failedToCollect(charge.invoiceId())) {
      payment.recoveredFromFailure();
    }
    if (contribution != null) {
      // A renewal comes from wherever its contribution came from.
      em.flush();
      StringBuilder copy = new StringBuilder("UPDATE payment SET ");
      for (int i = 0; i < SOURCE_COLUMNS.size(); i++) {
        String column = SOURCE_COLUMNS.get(i);
        copy.append(i == 0 ? "" : ", ")
            .append(column)
            .append(" = (SELECT ")
            .append(column)
            .append(" FROM recurring_contribution WHERE id = ?")
            .append(i + 1)
            .append(")");
      }
      em.createNativeQuery(
              "UPDATE payment SET covered_fee = (SELECT covered_fee FROM recurring_contribution"
                  + " WHERE id = ?) WHERE id = ? AND covered_fee = 0")
          .setParameter(1, contribution.id())
          .setParameter(2, payment.id())
          .executeUpdate();
      em.createNativeQuery(copy + " WHERE id = ?6 AND " + UNATTRIBUTED)
          .setParameter(1, contribution.id())
          .setParameter(2, contribution.id())
          .setParameter(3, contribution.id())
          .setParameter(4, contribution.id())
          .setParameter(5, contribution.id())
          .setParameter(6, payment.id())
          .executeUpdate();
    }
    if (!hasMovement(MoneyMovement.Type.PAYMENT, charge.chargeId())) {
      em.persist(
          new MoneyMovement(
              MoneyMovement.Type.PAYMENT,
              charge.chargeId(),
              payment,
              charge.amount(),
              balance,
              at(charge.paidAt())));
    }
    if (payment.receiptDue()) {
      paymentRecorded.fire(
          new PaymentRecorded(
              payment.id(),
              payment.donor().memberId(),
              payment.donor().email(),
              payment.amount().minor(),
              payment.amount().currency(),
              payment.frequency(),
              payment.paidAt().toInstant(),
              payment.recovered()));
    }
    changed(payment.donor().memberId());
    return payment;
  }

  private static final List<String> SOURCE_COLUMNS =
      List.of("source_article_url", "source_campaign", "utm_source", "utm_medium", "utm_campaign");

  private static final String UNATTRIBUTED =
      "COALESCE(" + String.join(", ", SOURCE_COLUMNS) + ") IS NULL";

  private static final String SET_SOURCE =
      " SET source_article_url = ?1, source_campaign = ?2, utm_source = ?3, utm_medium = ?4,"
          + " utm_campaign = ?5";

  /**
   * Where a contribution came from, as its checkout's metadata says; kept once set (a later event
   * carries the same metadata), and passed on to its payments that were recorded without it (an
   * invoice.paid applied before checkout.session.completed).
   */
  public void attributeContribution(String subscriptionId, GiftSource source) {
    if (source == null) {
      return;
    }
    bindSource(
            em.createNativeQuery(
                "UPDATE recurring_contribution"
                    + SET_SOURCE
                    + " WHERE stripe_subscription_id = ?6 AND "
                    + UNATTRIBUTED),
            source)
        .setParameter(6, subscriptionId)
        .executeUpdate();
    bindSource(
            em.createNativeQuery(
                "UPDATE payment"
                    + SET_SOURCE
                    + " WHERE recurring_id IN (SELECT id FROM recurring_contribution"
                    + " WHERE stripe_subscription_id = ?6) AND "
                    + UNATTRIBUTED),
            source)
        .setParameter(6, subscriptionId)
        .executeUpdate();
  }

  /** Where a one-off gift came from, as its checkout's metadata says; kept once set. */
  public void attributePayment(String chargeId, GiftSource source) {
    if (source == null) {
      return;
    }
    bindSource(
            em.createNativeQuery(
                "UPDATE payment" + SET_SOURCE + " WHERE stripe_charge_id = ?6 AND " + UNATTRIBUTED),
            source)
        .setParameter(6, chargeId)
        .executeUpdate();
  }

  /**
   * The fee the donor chose to cover at checkout (metadata), on the contribution and on its
   * payments recorded without it; every renewal of the contribution includes it.
   */
  public void contributionFeeCovered(String subscriptionId, long coveredFee) {
    if (coveredFee <= 0) {
      return;
    }
    em.createNativeQuery(
            "UPDATE recurring_contribution SET covered_fee = ? WHERE stripe_subscription_id = ?"
                + " AND covered_fee = 0")
        .setParameter(1, coveredFee)
        .setParameter(2, subscriptionId)
        .executeUpdate();
    em.createNativeQuery(
            "UPDATE payment SET covered_fee = ? WHERE covered_fee = 0 AND recurring_id IN"
                + " (SELECT id FROM recurring_contribution WHERE stripe_subscription_id = ?)")
        .setParameter(1, coveredFee)
        .setParameter(2, subscriptionId)
        .executeUpdate();
  }

  /** The fee the donor of a one-off gift chose to cover. */
  public void paymentFeeCovered(String chargeId, long coveredFee) {
    if (coveredFee <= 0) {
      return;
    }
    em.createNativeQuery(
            "UPDATE payment SET covered_fee = ? WHERE stripe_charge_id = ? AND covered_fee = 0")
        .setParameter(1, coveredFee)
        .setParameter(2, chargeId)
        .executeUpdate();
  }

  private static jakarta.persistence.Query bindSource(
      jakarta.persistence.Query query, GiftSource source) {
    return query
        .setParameter(1, source.articleUrl())
        .setParameter(2, source.campaign())
        .setParameter(3, source.utmSource())
        .setParameter(4, source.utmMedium())
        .setParameter(5, source.utmCampaign());
  }

  /** A refund of a recorded charge, with the money it moved. */
  public void recordRefund(Refund refund) {
    Payment payment = requirePayment(refund.chargeId());
    if (refund.refundId() != null && !hasMovement(MoneyMovement.Type.REFUND, refund.refundId())) {
      em.persist(
          new MoneyMovement(
              MoneyMovement.Type.REFUND,
              refund.refundId(),
              payment,
              -refund.amount(),
              refund.balance(),
              at(refund.at())));
    }
    payment.refunded(refund.totalRefunded());
    changed(payment.donor().memberId());
  }

  /** A dispute of a recorded charge, with the money it moved so far. */
  public void recordDispute(Dispute dispute) {
    Payment payment = requirePayment(dispute.chargeId());
    if (dispute.withdrawal() != null
        && !hasMovement(MoneyMovement.Type.DISPUTE, dispute.disputeId())) {
      em.persist(
          new MoneyMovement(
              MoneyMovement.Type.DISPUTE,
              dispute.disputeId(),
              payment,
              -dispute.amount(),
              dispute.withdrawal(),
              at(dispute.withdrawnAt())));
    }
    if (dispute.reinstatement() != null
        && !hasMovement(MoneyMovement.Type.DISPUTE_REVERSAL, dispute.disputeId())) {
      em.persist(
          new MoneyMovement(
              MoneyMovement.Type.DISPUTE_REVERSAL,
              dispute.disputeId(),
              payment,
              dispute.amount(),
              dispute.reinstatement(),
              at(dispute.reinstatedAt())));
    }
    payment.dispute(dispute.outcome());
    changed(payment.donor().memberId());
  }

  /** A payout and the balance transactions it settled; movements learn their payout id. */
  public void recordPayout(Payout payout) {
    String payoutId = payout.payoutId();
    Instant arrival = payout.arrival();
    OffsetDateTime now = org.newsroom.membership.platform.Timestamps.now();
    int updated =
        em.createNativeQuery(
                "UPDATE payout SET amount = ?, currency = ?, status = ?, arrival_date = ?,"
                    + " updated_at = ? WHERE stripe_payout_id = ?")
            .setParameter(1, payout.amount())
            .setParameter(2, payout.currency())
            .setParameter(3, payout.status())
            .setParameter(4, arrival == null ? null : at(arrival))
            .setParameter(5, now)
            .setParameter(6, payoutId)
            .executeUpdate();
    if (updated == 0) {
      em.createNativeQuery(
              "INSERT INTO payout (id, stripe_payout_id, amount, currency, status, arrival_date,"
                  + " created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)")
          .setParameter(1, UUID.randomUUID())
          .setParameter(2, payoutId)
          .setParameter(3, payout.amount())
          .setParameter(4, payout.currency())
          .setParameter(5, payout.status())
          .setParameter(6, arrival == null ? null : at(arrival))
          .setParameter(7, now)
          .setParameter(8, now)
          .executeUpdate();
    }
    for (PayoutLine line : payout.lines()) {
      boolean known =
          !em.createNativeQuery(
                  "SELECT 1 FROM payout_balance_transaction WHERE stripe_payout_id = ? AND"
                      + " balance_transaction_id = ?")
              .setParameter(1, payoutId)
              .setParameter(2, line.balanceTransactionId())
              .getResultList()
              .isEmpty();
      if (!known) {
        em.createNativeQuery(
                "INSERT INTO payout_balance_transaction (stripe_payout_id, balance_transaction_id,"
                    + " type, source_id, amount, fee, net, currency, created_at)"
                    + " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)")
            .setParameter(1, payoutId)
            .setParameter(2, line.balanceTransactionId())
            .setParameter(3, line.type())
            .setParameter(4, line.sourceId())
            .setParameter(5, line.amount())
            .setParameter(6, line.fee())
            .setParameter(7, line.net())
            .setParameter(8, line.currency())
            .setParameter(9, at(line.created() == null ? Instant.now() : line.created()))
            .executeUpdate();
      }
      em.createNativeQuery(
              "UPDATE money_movement SET stripe_payout_id = ? WHERE balance_transaction_id = ?")
          .setParameter(1, payoutId)
          .setParameter(2, line.balanceTransactionId())
          .executeUpdate();
    }
  }

  /** The member who owns a Stripe customer, if the customer was created for a member. */
  public UUID memberOfCustomer(String customerId) {
    if (customerId == null) {
      return null;
    }
    List<?> rows =
        em.createNativeQuery("SELECT member_id FROM stripe_customer WHERE customer_id = ?")
            .setParameter(1, customerId)
            .getResultList();
    return rows.isEmpty() ? null : asUuid(rows.get(0));
  }

  /** Guest gifts made with an address the member has now proven to own become theirs. */
  public void attachGuestGifts(UUID memberId, String email) {
    String normalized = Member.normalise(email);
    List<Payment> payments = Payment.ofGuest(em, normalized);
    payments.forEach(p -> p.donor().attachTo(memberId));
    List<RecurringContribution> recurring = RecurringContribution.ofGuest(em, normalized);
    recurring.forEach(c -> c.donor().attachTo(memberId));
    if (!payments.isEmpty() || !recurring.isEmpty()) {
      changed(memberId);
    }
  }

  private Optional<Payment> payment(String chargeId) {
    return em.createQuery("SELECT p FROM Payment p WHERE p.stripeChargeId = :c", Payment.class)
        .setParameter("c", chargeId)
        .getResultStream()
        .findFirst();
  }

  /** The payment read with a row lock, for the same reason as {@link #lockedContribution}. */
  private Optional<Payment> lockedPayment(String chargeId) {
    return em.createQuery("SELECT p FROM Payment p WHERE p.stripeChargeId = :c", Payment.class)
        .setParameter("c", chargeId)
        .setLockMode(LockModeType.PESSIMISTIC_WRITE)
        .setHint(QueryHints.REFRESH, HintValues.TRUE)
        .getResultStream()
        .findFirst();
  }

  private Payment requirePayment(String chargeId) {
    // Thrown, not ignored: the event is retried with backoff until the payment it refers to
    // has been recorded from its own (possibly later-delivered) event.
    return lockedPayment(chargeId)
        .orElseThrow(
            () -> new IllegalStateException("Payment for charge " + chargeId + " not recorded"));
  }

  private void changed(UUID memberId) {
    if (memberId != null) {
      memberChanged.fire(new MemberChanged(memberId));
    }
  }

  static OffsetDateTime at(Instant instant) {
    return instant == null
        ? null
        : instant.atOffset(ZoneOffset.UTC).truncatedTo(java.time.temporal.ChronoUnit.MICROS);
  }

  static UUID asUuid(Object id) {
    return id instanceof UUID uuid ? uuid : UUID.fromString(id.toString());
  }
}
