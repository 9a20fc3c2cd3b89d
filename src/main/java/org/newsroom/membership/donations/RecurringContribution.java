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
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.YearMonth;
import java.time.ZoneOffset;
import java.util.List;
import java.util.UUID;
import org.newsroom.membership.platform.Timestamps;

/**
 * One Stripe subscription as this service last saw it. Stripe owns the truth; this row is a
 * projection kept current by webhook events (guarded by {@link #lastEventCreated}), by the sync,
 * and by the reader's own changes once Stripe accepted them.
 */
@Entity
@org.eclipse.persistence.annotations.Customizer(NullSafeMappings.class)
@Table(name = "recurring_contribution")
@NamedQuery(
    name = RecurringContribution.OF_GUEST,
    query =
        "SELECT c FROM RecurringContribution c WHERE c.donor.memberId IS NULL"
            + " AND c.donor.emailNormalized = :email")
@NamedQuery(
    name = RecurringContribution.OF_MEMBER,
    query =
        "SELECT c FROM RecurringContribution c WHERE c.donor.memberId = :member"
            + " ORDER BY c.createdAt DESC")
public class RecurringContribution {

  static final String OF_MEMBER = "RecurringContribution.ofMember";
  static final String OF_GUEST = "RecurringContribution.ofGuest";

  @Id private UUID id;

  @Column(name = "stripe_subscription_id")
  private String stripeSubscriptionId;

  @Column(name = "stripe_customer_id")
  private String stripeCustomerId;

  @Embedded private Donor donor = new Donor();

  @Embedded private Money amount;

  @Enumerated(EnumType.STRING)
  private Frequency frequency;

  @Enumerated(EnumType.STRING)
  private RecurringStatus status;

  @Column(name = "cancel_at_period_end")
  private boolean cancelAtPeriodEnd;

  @Column(name = "current_period_end")
  private OffsetDateTime currentPeriodEnd;

  @Column(name = "resumes_on")
  private OffsetDateTime resumesOn;

  @Column(name = "started_at")
  private OffsetDateTime startedAt;

  @Column(name = "canceled_at")
  private OffsetDateTime canceledAt;

  @Column(name = "cancel_reason")
  private String cancelReason;

  /** Of the amount, what the donor added to cover Stripe's fee (written by the ledger's SQL). */
  @Column(name = "covered_fee", insertable = false, updatable = false)
  private long coveredFee;

  @Column(name = "last_failed_invoice")
  private String lastFailedInvoice;

  @Column(name = "last_event_created")
  private long lastEventCreated;

  @Column(name = "unpaid_since")
  private OffsetDateTime unpaidSince;

  @Column(name = "pending_amount")
  private Long pendingAmount;

  /** When the card on file stops working (the month after its expiry month begins, UTC). */
  @Column(name = "card_expires_at")
  private OffsetDateTime cardExpiresAt;

  @Column(name = "card_seen_at")
  private long cardSeenAt;

  @Column(name = "card_reminder_for")
  private OffsetDateTime cardReminderFor;

  @Enumerated(EnumType.STRING)
  @Column(name = "pending_frequency")
  private Frequency pendingFrequency;

  @Column(name = "pending_from")
  private OffsetDateTime pendingFrom;

  @Column(name = "created_at")
  private OffsetDateTime createdAt;

  @Column(name = "updated_at")
  private OffsetDateTime updatedAt;

  protected RecurringContribution() {}

  /** A guest's recurring contributions: no member yet, given with this normalised address. */
  static List<RecurringContribution> ofGuest(EntityManager em, String normalisedEmail) {
    return em.createNamedQuery(OF_GUEST, RecurringContribution.class)
        .setParameter("email", normalisedEmail)
        .getResultList();
  }

  /** A member's recurring contributions, newest first. */
  static List<RecurringContribution> ofMember(EntityManager em, UUID memberId) {
    return em.createNamedQuery(OF_MEMBER, RecurringContribution.class)
        .setParameter("member", memberId)
        .getResultList();
  }

  RecurringContribution(String subscriptionId, long amount, String currency, Frequency frequency) {
    this.id = UUID.randomUUID();
    this.stripeSubscriptionId = subscriptionId;
    this.amount = Money.of(amount, currency);
    this.frequency = frequency;
    this.status = RecurringStatus.INCOMPLETE;
    this.createdAt = Timestamps.now();
    this.updatedAt = createdAt;
  }

  /**
   * True when an event created at {@code created} (Stripe's epoch seconds) may still change this
   * row; records it as the newest seen. Equal seconds are allowed: Stripe's clock has one-second
   * resolution, and every handler writes absolute state, so applying twice is harmless.
   */
  boolean acceptsEventCreatedAt(long created) {
    if (created < lastEventCreated) {
      return false;
    }
    lastEventCreated = created;
    updatedAt = Timestamps.now();
    return true;
  }

  void attribute(UUID memberId, String email, String customerId) {
    donor.learn(memberId, email);
    if (this.stripeCustomerId == null && customerId != null) {
      this.stripeCustomerId = customerId;
    }
  }

  /** The free-text cancel reason goes too: people write their circumstances in it. */
  void pseudonymise() {
    donor.pseudonymise();
    cancelReason = null;
  }

  public String cancelReason() {
    return cancelReason;
  }

  /**
   * What Stripe says the subscription is now; what it did not say (null) is left as it is. Returns
   * true when this ends the gift for non-payment (Stripe cancelled it while renewals were failing),
   * which the reader is told.
   */
  boolean applyStripeState(Ledger.SubscriptionState s) {
    if (s.amount() != null && s.currency() != null && s.frequency() != null) {
      price(s.amount(), s.currency(), s.frequency());
    }
    boolean endsUnpaid = false;
    // Stripe never moves a subscription back to incomplete; a late "incomplete" from the
    // subscription's creation must not undo the payment that activated it in the same second.
    if (s.status() != null
        && !(s.status() == RecurringStatus.INCOMPLETE && status != RecurringStatus.INCOMPLETE)) {
      endsUnpaid =
          s.status() == RecurringStatus.CANCELED
              && status != RecurringStatus.CANCELED
              && unpaidSince != null;
      status(s.status());
      if (s.status() != RecurringStatus.PAUSED) {
        resumesOn = null;
      }
    }
    if (s.cancelAtPeriodEnd() != null) {
      cancelAtPeriodEnd(s.cancelAtPeriodEnd(), s.cancelReason());
    }
    if (s.currentPeriodEnd() != null) {
      currentPeriodEnd = Ledger.at(s.currentPeriodEnd());
    }
    if (s.resumesOn() != null) {
      resumesOn = Ledger.at(s.resumesOn());
    }
    if (s.startedAt() != null && startedAt == null) {
      startedAt = Ledger.at(s.startedAt());
    }
    return endsUnpaid;
  }

  /**
   * The reader's new price: charged from now when Stripe swapped it at once ({@code from} null),
   * else scheduled for {@code from}, the end of the current period, and nothing is charged now.
   */
  void changePrice(long amount, Frequency frequency, OffsetDateTime from) {
    if (from == null) {
      price(amount, this.amount.currency(), frequency);
    } else {
      pendingAmount = amount;
      pendingFrequency = frequency;
      pendingFrom = from;
    }
  }

  /** The reader paused collection until {@code resumeOn}; the gift goes on unpaid until then. */
  void pauseUntil(LocalDate resumeOn) {
    status(RecurringStatus.PAUSED);
    resumesOn = resumeOn.atStartOfDay().atOffset(ZoneOffset.UTC);
  }

  /** Collection starts again now; a gift that was not paused only loses its resume date. */
  void resume() {
    if (status == RecurringStatus.PAUSED) {
      status(RecurringStatus.ACTIVE);
    }
    resumesOn = null;
  }

  /** The reader asked to stop at the end of the paid period. */
  void cancelAtPeriodEnd(String reason) {
    cancelAtPeriodEnd(true, reason);
  }

  /** Ended now (the reader's account is being erased); Stripe was told first. */
  void cancelNow() {
    status(RecurringStatus.CANCELED);
  }

  /** A renewal failed. */
  void pastDue() {
    status(RecurringStatus.PAST_DUE);
  }

  /**
   * The price Stripe charges now. A scheduled change is done once Stripe charges its price, and
   * forgotten if Stripe's price changed some other way (a change made in the billing portal).
   */
  private void price(long amount, String currency, Frequency frequency) {
    this.amount = Money.of(amount, currency);
    this.frequency = frequency;
    if (pendingFrequency != null
        && (frequency == pendingFrequency
            || pendingFrom == null
            || Timestamps.now().isAfter(pendingFrom))) {
      clearPendingChange();
    }
  }

  private void clearPendingChange() {
    pendingAmount = null;
    pendingFrequency = null;
    pendingFrom = null;
  }

  private void status(RecurringStatus status) {
    this.status = status;
    if (status == RecurringStatus.CANCELED && canceledAt == null) {
      canceledAt = Timestamps.now();
    }
  }

  private void cancelAtPeriodEnd(boolean cancel, String reason) {
    this.cancelAtPeriodEnd = cancel;
    if (reason != null) {
      this.cancelReason = reason.length() > 500 ? reason.substring(0, 500) : reason;
    }
  }

  /**
   * The card Stripe charged, or the customer attached, in a fact created at {@code seenAt} (epoch
   * seconds); a fact older than the newest card seen changes nothing.
   */
  void cardOnFile(YearMonth expiry, long seenAt) {
    if (seenAt >= cardSeenAt) {
      cardExpiresAt = expiry.plusMonths(1).atDay(1).atStartOfDay().atOffset(ZoneOffset.UTC);
      cardSeenAt = seenAt;
      updatedAt = Timestamps.now();
    }
  }

  /**
   * True, once per renewal, when an active contribution renews within {@code horizon} of {@code
   * now} on a card that stops working before then; records that the reader is being reminded.
   */
  boolean remindOfCardExpiry(Instant now, Duration horizon) {
    boolean due =
        status == RecurringStatus.ACTIVE
            && !cancelAtPeriodEnd
            && currentPeriodEnd != null
            && currentPeriodEnd.toInstant().isAfter(now)
            && !currentPeriodEnd.toInstant().isAfter(now.plus(horizon))
            && cardExpiresAt != null
            && !cardExpiresAt.isAfter(currentPeriodEnd)
            && !currentPeriodEnd.isEqual(
                cardReminderFor == null ? OffsetDateTime.MIN : cardReminderFor);
    if (due) {
      cardReminderFor = currentPeriodEnd;
      updatedAt = Timestamps.now();
    }
    return due;
  }

  /** The last month the card on file works in; null when no card was seen. */
  public YearMonth cardExpiry() {
    return cardExpiresAt == null
        ? null
        : YearMonth.from(cardExpiresAt.atZoneSameInstant(ZoneOffset.UTC)).minusMonths(1);
  }

  /** True the first time this failed invoice attempt is seen, so it is mailed about once. */
  boolean firstNoticeOfFailure(String invoiceAttempt) {
    if (invoiceAttempt.equals(lastFailedInvoice)) {
      return false;
    }
    lastFailedInvoice = invoiceAttempt;
    return true;
  }

  /** True when an attempt of this invoice ({@code in_...}) is the last one seen failing. */
  boolean failedToCollect(String invoiceId) {
    return invoiceId != null
        && lastFailedInvoice != null
        && lastFailedInvoice.startsWith(invoiceId + "#");
  }

  /** From the first failed renewal until a payment succeeds again. */
  void unpaid() {
    if (unpaidSince == null) {
      unpaidSince = Timestamps.now();
    }
  }

  OffsetDateTime unpaidSince() {
    return unpaidSince;
  }

  /**
   * A payment succeeded: the run of failed renewals, if any, has ended. Whether the payment is a
   * recovery is {@link #failedToCollect}'s rule (events come in any order).
   */
  void paidAgain() {
    unpaidSince = null;
  }

  void touched() {
    updatedAt = Timestamps.now();
  }

  public long coveredFee() {
    return coveredFee;
  }

  public UUID id() {
    return id;
  }

  public String stripeSubscriptionId() {
    return stripeSubscriptionId;
  }

  public String stripeCustomerId() {
    return stripeCustomerId;
  }

  public Donor donor() {
    return donor;
  }

  public Money amount() {
    return amount;
  }

  /** What the next renewals charge: the scheduled change's amount if one waits, else the amount. */
  public Money upcomingAmount() {
    return pendingFrequency != null ? Money.of(pendingAmount, amount.currency()) : amount;
  }

  public Frequency frequency() {
    return frequency;
  }

  public RecurringStatus status() {
    return status;
  }

  public boolean cancelAtPeriodEnd() {
    return cancelAtPeriodEnd;
  }

  public OffsetDateTime currentPeriodEnd() {
    return currentPeriodEnd;
  }

  public OffsetDateTime resumesOn() {
    return resumesOn;
  }

  public OffsetDateTime startedAt() {
    return startedAt;
  }

  public Long pendingAmount() {
    return pendingAmount;
  }

  public Frequency pendingFrequency() {
    return pendingFrequency;
  }

  public OffsetDateTime pendingFrom() {
    return pendingFrom;
  }

  public long lastEventCreated() {
    return lastEventCreated;
  }
}
