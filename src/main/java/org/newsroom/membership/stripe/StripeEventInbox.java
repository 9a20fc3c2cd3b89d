package org.newsroom.membership.stripe;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.persistence.PersistenceContext;
import jakarta.transaction.Transactional;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.newsroom.membership.platform.Timestamps;

/**
 * The webhook inbox. Storing commits on its own before the webhook answers; claiming pushes a due
 * event's next attempt a lease into the future in a short transaction, with {@code FOR UPDATE SKIP
 * LOCKED}, so instances never work on the same event at once and a crashed worker's claim simply
 * runs out.
 */
@ApplicationScoped
public class StripeEventInbox {

  static final int BATCH = 20;
  private static final Duration LEASE = Duration.ofMinutes(2);

  @PersistenceContext EntityManager em;
  @Inject StripeCustomerDeletions customerDeletions;

  /**
   * Stores the event and returns true, or returns false when its id is already stored. Stripe
   * redelivers often, so a duplicate is found by its key first rather than by a failed insert
   * (which costs an exception and a logged stack trace); two deliveries racing past the lookup
   * still meet the primary key, and the loser fails.
   */
  @Transactional(Transactional.TxType.REQUIRES_NEW)
  public boolean store(StripeEvent event) {
    if (em.find(StripeEvent.class, event.id()) != null) {
      return false;
    }
    // An erased person's customer can still send events (its deletion, a late refund): they are
    // stored without the personal fields, or the erasure would be undone by the next webhook.
    String customer = PayloadRedaction.customerOf(event.payload());
    if (customer != null && customerDeletions.isRequested(customer)) {
      event.redact(PayloadRedaction.redact(event.payload(), null));
    }
    em.persist(event);
    em.flush();
    return true;
  }

  @Transactional(Transactional.TxType.REQUIRES_NEW)
  public boolean exists(String id) {
    return em.find(StripeEvent.class, id) != null;
  }

  @Transactional(Transactional.TxType.REQUIRES_NEW)
  public List<String> claimDue() {
    @SuppressWarnings("unchecked")
    List<Object> ids =
        em.createNativeQuery(
                "SELECT id FROM stripe_event WHERE status IN ('PENDING', 'FAILED')"
                    + " AND next_attempt_at <= ? ORDER BY next_attempt_at FETCH FIRST "
                    + BATCH
                    + " ROWS ONLY FOR UPDATE SKIP LOCKED")
            .setParameter(1, Timestamps.now())
            .getResultList();
    List<String> claimed = ids.stream().map(Object::toString).toList();
    for (String id : claimed) {
      em.createNativeQuery("UPDATE stripe_event SET next_attempt_at = ? WHERE id = ?")
          .setParameter(1, Timestamps.now().plus(LEASE))
          .setParameter(2, id)
          .executeUpdate();
    }
    return claimed;
  }

  @Transactional(Transactional.TxType.REQUIRES_NEW)
  public void markFailed(String id, String error) {
    StripeEvent event = em.find(StripeEvent.class, id);
    if (event != null) {
      event.failed(error);
    }
  }

  @Transactional(Transactional.TxType.REQUIRES_NEW)
  public Optional<StripeEvent> find(String id) {
    return Optional.ofNullable(em.find(StripeEvent.class, id));
  }

  @Transactional(Transactional.TxType.REQUIRES_NEW)
  public List<StripeEvent> list(StripeEvent.Status status) {
    String where = status == null ? "" : " WHERE e.status = :s";
    var query =
        em.createQuery(
                "SELECT e FROM StripeEvent e" + where + " ORDER BY e.receivedAt DESC",
                StripeEvent.class)
            .setMaxResults(500);
    if (status != null) {
      query.setParameter("s", status);
    }
    return query.getResultList();
  }
}
