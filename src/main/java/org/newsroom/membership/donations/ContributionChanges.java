package org.newsroom.membership.donations;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Event;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.persistence.LockModeType;
import jakarta.persistence.PersistenceContext;
import jakarta.transaction.Transactional;
import java.util.UUID;
import java.util.function.Consumer;
import org.newsroom.membership.accounts.MemberChanged;
import org.newsroom.membership.platform.ProblemException;

/**
 * The two short transactions around a member's change at Stripe: reading the contribution before,
 * and recording what Stripe accepted after, with the row locked so a webhook applied meanwhile
 * cannot interleave with it.
 */
@ApplicationScoped
@Transactional
public class ContributionChanges {

  @PersistenceContext EntityManager em;
  @Inject Event<MemberChanged> memberChanged;

  /** The member's own contribution; anyone else's is answered as if it did not exist. */
  RecurringContribution own(UUID memberId, UUID id) {
    RecurringContribution c = em.find(RecurringContribution.class, id);
    if (c == null || !c.donor().is(memberId)) {
      throw ProblemException.notFound("No such contribution.");
    }
    return c;
  }

  /** Records a change Stripe accepted, as current in Stripe time, and queues its mail. */
  ContributionViews.RecurringView record(
      UUID memberId, UUID id, Consumer<RecurringContribution> change) {
    RecurringContribution c =
        em.find(RecurringContribution.class, id, LockModeType.PESSIMISTIC_WRITE);
    if (c == null || !c.donor().is(memberId)) {
      throw ProblemException.notFound("No such contribution.");
    }
    Contributions.current(c);
    change.accept(c);
    c.touched();
    memberChanged.fire(new MemberChanged(c.donor().memberId()));
    return ContributionViews.RecurringView.of(c);
  }
}
