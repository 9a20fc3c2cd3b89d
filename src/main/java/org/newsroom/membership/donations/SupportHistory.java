package org.newsroom.membership.donations;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import jakarta.persistence.PersistenceContext;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.UUID;
import org.newsroom.membership.entitlements.SupportFacts;

/**
 * A member's giving as the supporter rule sees it: every recurring contribution with its status,
 * and every one-off payment with whether it still counts. The rule itself is {@code
 * entitlements.SupporterRule}; nothing here decides who is a supporter.
 */
@ApplicationScoped
public class SupportHistory implements SupportFacts.Source {

  @PersistenceContext EntityManager em;

  @Override
  public SupportFacts factsOf(UUID memberId) {
    List<SupportFacts.Recurring> recurring =
        RecurringContribution.ofMember(em, memberId).stream()
            .map(
                c ->
                    new SupportFacts.Recurring(
                        c.frequency().name(),
                        asFact(c.status()),
                        c.cancelAtPeriodEnd(),
                        instant(c.currentPeriodEnd()),
                        instant(c.startedAt() != null ? c.startedAt() : null)))
            .toList();
    List<SupportFacts.OneOff> oneOffs =
        em
            .createQuery(
                "SELECT p FROM Payment p WHERE p.donor.memberId = :m AND p.frequency = :f",
                Payment.class)
            .setParameter("m", memberId)
            .setParameter("f", Frequency.ONE_OFF)
            .getResultList()
            .stream()
            .map(p -> new SupportFacts.OneOff(p.paidAt().toInstant(), p.stillCounts()))
            .toList();
    if (recurring.isEmpty() && oneOffs.isEmpty()) {
      return SupportFacts.NONE;
    }
    return new SupportFacts(recurring, oneOffs);
  }

  private static SupportFacts.RecurringStatus asFact(RecurringStatus status) {
    return switch (status) {
      case INCOMPLETE -> SupportFacts.RecurringStatus.INCOMPLETE;
      case ACTIVE -> SupportFacts.RecurringStatus.ACTIVE;
      case PAST_DUE -> SupportFacts.RecurringStatus.PAST_DUE;
      case PAUSED -> SupportFacts.RecurringStatus.PAUSED;
      case CANCELED -> SupportFacts.RecurringStatus.CANCELED;
    };
  }

  private static java.time.Instant instant(OffsetDateTime at) {
    return at == null ? null : at.toInstant();
  }
}
