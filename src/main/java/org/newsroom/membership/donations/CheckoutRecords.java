package org.newsroom.membership.donations;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import jakarta.persistence.PersistenceContext;
import jakarta.transaction.Transactional;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.newsroom.membership.platform.Timestamps;

/**
 * Checkout attempts and members' Stripe customers, each written in a transaction of its own and
 * committed before Stripe is called, so nothing waits on Stripe while holding a connection.
 */
@ApplicationScoped
@Transactional(Transactional.TxType.REQUIRES_NEW)
public class CheckoutRecords {

  @PersistenceContext EntityManager em;

  public UUID attempt(
      UUID memberId, String email, long amount, String currency, Frequency frequency) {
    UUID id = UUID.randomUUID();
    em.createNativeQuery(
            "INSERT INTO checkout_attempt (id, member_id, donor_email, amount, currency,"
                + " frequency, created_at) VALUES (?, CAST(? AS UUID), ?, ?, ?, ?, ?)")
        .setParameter(1, id)
        .setParameter(2, memberId)
        .setParameter(3, email)
        .setParameter(4, amount)
        .setParameter(5, currency)
        .setParameter(6, frequency.name())
        .setParameter(7, Timestamps.now())
        .executeUpdate();
    return id;
  }

  public void sessionCreated(UUID attemptId, String sessionId) {
    em.createNativeQuery("UPDATE checkout_attempt SET checkout_session_id = ? WHERE id = ?")
        .setParameter(1, sessionId)
        .setParameter(2, attemptId)
        .executeUpdate();
  }

  @Transactional(Transactional.TxType.SUPPORTS)
  public Optional<String> customerOf(UUID memberId) {
    List<?> rows =
        em.createNativeQuery("SELECT customer_id FROM stripe_customer WHERE member_id = ?")
            .setParameter(1, memberId)
            .getResultList();
    return rows.isEmpty() ? Optional.empty() : Optional.of(rows.get(0).toString());
  }

  /** Fails on the unique constraints when another request recorded the member's customer first. */
  public void customerCreated(UUID memberId, String customerId) {
    em.createNativeQuery(
            "INSERT INTO stripe_customer (member_id, customer_id, created_at) VALUES (?, ?, ?)")
        .setParameter(1, memberId)
        .setParameter(2, customerId)
        .setParameter(3, Timestamps.now())
        .executeUpdate();
  }
}
