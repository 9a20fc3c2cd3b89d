package org.newsroom.membership.donations;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.persistence.LockModeType;
import jakarta.persistence.PersistenceContext;
import jakarta.transaction.Transactional;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.UUID;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * Reminds a reader, once per renewal and {@code recovery.card-expiry-notice-days} before it, when
 * the card on file stops working before the renewal: a renewal that would fail is cheaper to
 * prevent than to recover. The rule itself is {@link RecurringContribution#remindOfCardExpiry};
 * {@link CardExpiryReminderJob} runs this on one instance at a time.
 */
@ApplicationScoped
public class CardExpiryReminders {

  @PersistenceContext EntityManager em;
  @Inject ContributionMails mails;

  @Inject
  @ConfigProperty(name = "recovery.card-expiry-notice-days")
  int noticeDays;

  /** Up to {@code limit} contributions the rule may pick as of {@code now}. */
  @Transactional
  public List<UUID> candidates(Instant now, int limit) {
    return em.createQuery(
            "SELECT c.id FROM RecurringContribution c WHERE c.status = :active"
                + " AND c.cancelAtPeriodEnd = FALSE AND c.currentPeriodEnd > :now"
                + " AND c.currentPeriodEnd <= :until AND c.cardExpiresAt <= c.currentPeriodEnd"
                + " AND (c.cardReminderFor IS NULL OR c.cardReminderFor <> c.currentPeriodEnd)"
                + " ORDER BY c.currentPeriodEnd",
            UUID.class)
        .setParameter("active", RecurringStatus.ACTIVE)
        .setParameter("now", now.atOffset(ZoneOffset.UTC))
        .setParameter("until", now.plus(horizon()).atOffset(ZoneOffset.UTC))
        .setMaxResults(limit)
        .getResultList();
  }

  /**
   * Sends the reminder when the rule still holds under the row's lock (another instance, or a
   * webhook with a new card, may have got there first); the mail is queued in the same transaction
   * as the mark, so it goes out exactly once.
   */
  @Transactional
  public boolean remind(UUID contributionId, Instant now) {
    RecurringContribution c =
        em.find(RecurringContribution.class, contributionId, LockModeType.PESSIMISTIC_WRITE);
    if (c == null || !c.remindOfCardExpiry(now, horizon())) {
      return false;
    }
    mails.cardExpiresBeforeRenewal(c);
    return true;
  }

  private Duration horizon() {
    return Duration.ofDays(noticeDays);
  }
}
