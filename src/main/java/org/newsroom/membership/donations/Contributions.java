package org.newsroom.membership.donations;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Event;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.persistence.PersistenceContext;
import jakarta.transaction.Transactional;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.newsroom.membership.accounts.EmailVerified;
import org.newsroom.membership.accounts.Member;
import org.newsroom.membership.accounts.MemberChanged;
import org.newsroom.membership.accounts.MemberErasing;
import org.newsroom.membership.accounts.MyDataExport;
import org.newsroom.membership.platform.ProblemException;
import org.newsroom.membership.platform.RateLimits;
import org.newsroom.membership.platform.Timestamps;

/**
 * A member's own view of and changes to their giving. Each change is made at Stripe first and
 * recorded here only once Stripe accepted it; the row is then marked as current as of now in Stripe
 * time, so an older event still in the inbox cannot undo it.
 *
 * <p>A change holds no transaction while Stripe answers (up to three attempts of several seconds
 * each): the contribution is read in one short transaction, Stripe is called with none open, and
 * the result is written in another short one that locks the row. Changes are rate-limited per
 * member, as each costs Stripe calls.
 */
@ApplicationScoped
public class Contributions {

  private static final Logger LOG = Logger.getLogger(Contributions.class.getName());
  private static final int LONGEST_PAUSE_MONTHS = 6;

  @PersistenceContext EntityManager em;
  @Inject PaymentGateway gateway;
  @Inject ContributionMails mails;
  @Inject Ledger ledger;
  @Inject DonationRules rules;
  @Inject CheckoutRecords records;
  @Inject Event<MemberChanged> memberChanged;
  @Inject ContributionChanges changes;
  @Inject RateLimits rateLimits;

  @Inject
  @ConfigProperty(name = "rate-limit.contribution-changes-per-member")
  int changesPerMember;

  @Transactional
  public ContributionViews.Overview of(UUID memberId) {
    return new ContributionViews.Overview(
        recurringOf(memberId).stream().map(ContributionViews.RecurringView::of).toList(),
        paymentsOf(memberId).stream().map(ContributionViews.PaymentView::of).toList());
  }

  public ContributionViews.RecurringView change(
      UUID memberId, UUID id, Long amount, Frequency frequency) {
    limit(memberId);
    RecurringContribution c = changes.own(memberId, id);
    // A change already scheduled is what the reader sees, and what a further change builds on.
    long newAmount = amount != null ? amount : c.upcomingAmount().minor();
    Frequency newFrequency =
        frequency != null
            ? frequency
            : c.pendingFrequency() != null ? c.pendingFrequency() : c.frequency();
    if (newFrequency == Frequency.ONE_OFF) {
      throw ProblemException.validation("frequency", "must be MONTHLY or ANNUAL");
    }
    if (amount != null) {
      rules.requireAccepted(c.amount().currency(), amount);
    }
    if (c.status() == RecurringStatus.CANCELED) {
      throw ProblemException.validation("id", "this contribution has ended");
    }
    // Stripe resets the billing cycle and invoices at once when a subscription's interval
    // changes, so a change of frequency (or any change while one is scheduled) goes to a
    // subscription schedule for the period end; a new amount alone swaps the price, unprorated.
    boolean schedule = newFrequency != c.frequency() || c.pendingFrequency() != null;
    Instant[] from = new Instant[1];
    stripe(
        () ->
            from[0] =
                gateway.changePrice(
                    c.stripeSubscriptionId(),
                    id,
                    c.amount().currency(),
                    newAmount,
                    newFrequency,
                    schedule));
    return changes.record(
        memberId,
        id,
        r -> {
          r.changePrice(newAmount, newFrequency, Ledger.at(from[0]));
          mails.changed(r);
        });
  }

  public ContributionViews.RecurringView cancel(UUID memberId, UUID id, String reason) {
    limit(memberId);
    RecurringContribution c = changes.own(memberId, id);
    stripe(() -> gateway.cancelAtPeriodEnd(c.stripeSubscriptionId(), id, reason));
    return changes.record(
        memberId,
        id,
        r -> {
          r.cancelAtPeriodEnd(reason);
          mails.cancelled(r);
        });
  }

  public ContributionViews.RecurringView pause(UUID memberId, UUID id, LocalDate resumeOn) {
    limit(memberId);
    RecurringContribution c = changes.own(memberId, id);
    LocalDate today = LocalDate.now(ZoneOffset.UTC);
    if (resumeOn == null
        || !resumeOn.isAfter(today)
        || resumeOn.isAfter(today.plusMonths(LONGEST_PAUSE_MONTHS))) {
      throw ProblemException.validation(
          "resumeOn", "must be a date after today and at most 6 months ahead");
    }
    if (c.status() == RecurringStatus.CANCELED) {
      throw ProblemException.validation("id", "this contribution has ended");
    }
    stripe(() -> gateway.pause(c.stripeSubscriptionId(), id, resumeOn));
    return changes.record(
        memberId,
        id,
        r -> {
          r.pauseUntil(resumeOn);
          mails.paused(r);
        });
  }

  public ContributionViews.RecurringView resume(UUID memberId, UUID id) {
    limit(memberId);
    RecurringContribution c = changes.own(memberId, id);
    stripe(() -> gateway.resume(c.stripeSubscriptionId(), id));
    return changes.record(
        memberId,
        id,
        r -> {
          r.resume();
          mails.resumed(r);
        });
  }

  @Transactional(Transactional.TxType.SUPPORTS)
  public String billingPortal(UUID memberId, String returnUrl) {
    Optional<String> customer =
        records
            .customerOf(memberId)
            .or(
                () ->
                    recurringOf(memberId).stream()
                        .map(RecurringContribution::stripeCustomerId)
                        .filter(java.util.Objects::nonNull)
                        .findFirst());
    if (customer.isEmpty()) {
      throw ProblemException.notFound("You have no Stripe customer yet.");
    }
    String[] url = new String[1];
    stripe(() -> url[0] = gateway.billingPortalUrl(customer.get(), returnUrl));
    return url[0];
  }

  void attachGuestGifts(@Observes EmailVerified verified) {
    ledger.attachGuestGifts(verified.memberId(), verified.email());
  }

  /**
   * Runs inside the erasure: recurring contributions end at Stripe at once (a failure stops the
   * erasure, so nobody keeps being charged for an account that is gone); donor emails and cancel
   * reasons go; checkout attempts lose their email; stored Stripe events that name the member are
   * redacted and their Stripe Customers queued for deletion at Stripe. Payments stay for finance,
   * linked to the pseudonymised member.
   */
  void erasing(@Observes MemberErasing erasing) {
    UUID memberId = erasing.memberId();
    String email = erasing.provenEmail();
    Set<String> customers = new LinkedHashSet<>();
    Set<String> references = new LinkedHashSet<>();
    references.add(memberId.toString());
    records.customerOf(memberId).ifPresent(customers::add);
    List<RecurringContribution> recurring = new ArrayList<>(recurringOf(memberId));
    List<Payment> payments = new ArrayList<>(paymentsOf(memberId));
    if (email != null) {
      recurring.addAll(RecurringContribution.ofGuest(em, Member.normalise(email)));
      payments.addAll(Payment.ofGuest(em, Member.normalise(email)));
    }
    references.addAll(records.forget(memberId, email));
    erase(recurring, payments, customers, references, email);
    memberChanged.fire(new MemberChanged(memberId));
  }

  /**
   * A guest donor's erasure, after they proved the address: their gifts without an account lose the
   * address as a member's do, and their Stripe Customers are deleted.
   */
  void eraseGuest(String email) {
    String normalised = Member.normalise(email);
    Set<String> references = new LinkedHashSet<>(records.forgetGuest(normalised));
    erase(
        RecurringContribution.ofGuest(em, normalised),
        Payment.ofGuest(em, normalised),
        new LinkedHashSet<>(),
        references,
        email);
  }

  /** What a guest donor is shown of their own giving, once they proved the address. */
  GuestData guestData(String email) {
    String normalised = Member.normalise(email);
    return new GuestData(
        email,
        RecurringContribution.ofGuest(em, normalised).stream()
            .map(ContributionViews.RecurringView::of)
            .toList(),
        Payment.ofGuest(em, normalised).stream().map(ContributionViews.PaymentView::of).toList(),
        records.guestAttemptsOf(normalised));
  }

  public record GuestData(
      String email,
      List<ContributionViews.RecurringView> recurring,
      List<ContributionViews.PaymentView> payments,
      List<ContributionViews.CheckoutAttemptView> checkoutAttempts) {}

  private void erase(
      List<RecurringContribution> recurring,
      List<Payment> payments,
      Set<String> customers,
      Set<String> references,
      String email) {
    for (RecurringContribution c : recurring) {
      if (c.status() != RecurringStatus.CANCELED) {
        stripe(() -> gateway.cancelNow(c.stripeSubscriptionId()));
        current(c);
        c.cancelNow();
      }
      c.pseudonymise();
      customers.add(c.stripeCustomerId());
      references.add(c.stripeSubscriptionId());
    }
    for (Payment p : payments) {
      p.donor().pseudonymise();
      customers.add(p.stripeCustomerId());
      references.add(p.stripeChargeId());
      references.add(p.stripeInvoiceId());
    }
    customers.remove(null);
    references.addAll(customers);
    gateway.forget(references, email, customers);
  }

  /** The export's sections: contributions with their cancel reasons, payments, checkouts. */
  void myData(@Observes MyDataExport.MyDataRequested requested) {
    UUID memberId = requested.memberId();
    requested
        .sections()
        .put(
            "recurring",
            recurringOf(memberId).stream().map(ContributionViews.RecurringView::of).toList());
    requested
        .sections()
        .put(
            "payments",
            paymentsOf(memberId).stream().map(ContributionViews.PaymentView::of).toList());
    requested.sections().put("checkoutAttempts", records.attemptsOf(memberId));
  }

  private List<RecurringContribution> recurringOf(UUID memberId) {
    return RecurringContribution.ofMember(em, memberId);
  }

  private List<Payment> paymentsOf(UUID memberId) {
    return em.createQuery(
            "SELECT p FROM Payment p WHERE p.donor.memberId = :m ORDER BY p.paidAt DESC",
            Payment.class)
        .setParameter("m", memberId)
        .getResultList();
  }

  private void limit(UUID memberId) {
    rateLimits.hit(
        rateLimits.define("contribution-changes", changesPerMember), memberId.toString());
  }

  static void current(RecurringContribution c) {
    c.acceptsEventCreatedAt(
        Math.max(c.lastEventCreated(), Timestamps.now().toInstant().getEpochSecond()));
  }

  private void changed(RecurringContribution c) {
    c.touched();
    memberChanged.fire(new MemberChanged(c.donor().memberId()));
  }

  private static void stripe(Runnable call) {
    try {
      call.run();
    } catch (PaymentGateway.Unavailable | PaymentGateway.Refused e) {
      LOG.log(Level.WARNING, "Stripe call for a contribution change failed", e);
      throw PaymentGateway.unavailable();
    }
  }
}
