package org.newsroom.membership.stripe;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.persistence.PersistenceContext;
import jakarta.transaction.Transactional;
import java.time.Duration;
import java.util.Collection;
import java.util.List;
import org.newsroom.membership.platform.DatabasePlatform;
import org.newsroom.membership.platform.Timestamps;

/**
 * The outbox of Stripe Customers to delete after an erasure (table {@code
 * stripe_customer_deletion}). A request is written in the erasure's own transaction, so it exists
 * exactly when the erasure committed; {@link StripeCustomerDeletionWorker} works it off with
 * retries and backoff, so Stripe being down delays a deletion and never loses it. Claims use {@code
 * FOR UPDATE SKIP LOCKED} and a lease, like the webhook inbox.
 */
@ApplicationScoped
public class StripeCustomerDeletions {

  static final int BATCH = 20;
  private static final Duration LEASE = Duration.ofMinutes(2);
  private static final Duration FIRST_RETRY = Duration.ofSeconds(2);
  private static final Duration LONGEST_RETRY = Duration.ofHours(1);

  /** A row when the customer's deletion was asked for: their later events are stored redacted. */
  static final String REQUESTED = "SELECT 1 FROM stripe_customer_deletion WHERE customer_id = ?";

  @PersistenceContext EntityManager em;
  @Inject DatabasePlatform database;

  /**
   * Orders an erasure and a webhook delivery for the same customer: the erasure holds each of its
   * customers' locks exclusively from before it searches their stored events until it commits, and
   * a delivery takes the lock shared before it checks for an erasure. Whichever comes second sees
   * the first one committed: the erasure finds the event and redacts it, or the delivery finds the
   * erasure and stores the event redacted. Without it, a delivery whose insert began before the
   * erasure committed and ended after the erasure's search stayed whole. PostgreSQL only (H2 runs
   * one local instance); advisory locks on the id's hash, so a collision only makes two customers
   * wait for each other.
   */
  @Transactional(Transactional.TxType.MANDATORY)
  public void lockForErasure(Collection<String> customerIds) {
    if (database.postgres()) {
      customerIds.stream()
          .filter(id -> id != null && !id.isBlank())
          .distinct()
          .sorted()
          .forEach(id -> lock("SELECT pg_advisory_xact_lock(hashtext(?))", id));
    }
  }

  /** The delivery's side of {@link #lockForErasure}. */
  @Transactional(Transactional.TxType.MANDATORY)
  void lockForDelivery(String customerId) {
    if (database.postgres()) {
      lock("SELECT pg_advisory_xact_lock_shared(hashtext(?))", customerId);
    }
  }

  private void lock(String sql, String customerId) {
    em.createNativeQuery(sql).setParameter(1, customerId).getResultList();
  }

  @Transactional(Transactional.TxType.MANDATORY)
  public void request(Collection<String> customerIds) {
    for (String id : customerIds) {
      if (id == null || id.isBlank() || isRequested(id)) {
        continue;
      }
      em.createNativeQuery(
              "INSERT INTO stripe_customer_deletion (customer_id, requested_at, next_attempt_at)"
                  + " VALUES (?, ?, ?)")
          .setParameter(1, id)
          .setParameter(2, Timestamps.now())
          .setParameter(3, Timestamps.now())
          .executeUpdate();
    }
  }

  /** True once the customer's deletion was asked for. */
  @Transactional(Transactional.TxType.SUPPORTS)
  public boolean isRequested(String customerId) {
    return !em.createNativeQuery(REQUESTED).setParameter(1, customerId).getResultList().isEmpty();
  }

  @Transactional(Transactional.TxType.REQUIRES_NEW)
  List<String> claimDue() {
    List<?> ids =
        em.createNativeQuery(
                "SELECT customer_id FROM stripe_customer_deletion WHERE deleted_at IS NULL"
                    + " AND next_attempt_at <= ? ORDER BY next_attempt_at FETCH FIRST "
                    + BATCH
                    + " ROWS ONLY FOR UPDATE SKIP LOCKED")
            .setParameter(1, Timestamps.now())
            .getResultList();
    List<String> claimed = ids.stream().map(Object::toString).toList();
    for (String id : claimed) {
      em.createNativeQuery(
              "UPDATE stripe_customer_deletion SET next_attempt_at = ? WHERE customer_id = ?")
          .setParameter(1, Timestamps.now().plus(LEASE))
          .setParameter(2, id)
          .executeUpdate();
    }
    return claimed;
  }

  @Transactional(Transactional.TxType.REQUIRES_NEW)
  void deleted(String customerId) {
    em.createNativeQuery(
            "UPDATE stripe_customer_deletion SET deleted_at = ?, attempts = attempts + 1,"
                + " last_error = NULL WHERE customer_id = ?")
        .setParameter(1, Timestamps.now())
        .setParameter(2, customerId)
        .executeUpdate();
  }

  /** Exponential backoff capped at an hour, never given up. */
  @Transactional(Transactional.TxType.REQUIRES_NEW)
  void failed(String customerId, String error) {
    List<?> rows =
        em.createNativeQuery("SELECT attempts FROM stripe_customer_deletion WHERE customer_id = ?")
            .setParameter(1, customerId)
            .getResultList();
    if (rows.isEmpty()) {
      return;
    }
    int attempts = ((Number) rows.get(0)).intValue() + 1;
    Duration wait = FIRST_RETRY.multipliedBy(1L << Math.min(attempts - 1, 20));
    if (wait.compareTo(LONGEST_RETRY) > 0) {
      wait = LONGEST_RETRY;
    }
    String message = error == null ? "unknown" : error;
    em.createNativeQuery(
            "UPDATE stripe_customer_deletion SET attempts = ?, next_attempt_at = ?, last_error = ?"
                + " WHERE customer_id = ?")
        .setParameter(1, attempts)
        .setParameter(2, Timestamps.now().plus(wait))
        .setParameter(3, message.substring(0, Math.min(message.length(), 1000)))
        .setParameter(4, customerId)
        .executeUpdate();
  }
}
