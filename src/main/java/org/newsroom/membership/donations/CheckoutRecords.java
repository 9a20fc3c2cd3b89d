package org.newsroom.membership.donations;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import jakarta.persistence.PersistenceContext;
import jakarta.transaction.Transactional;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.newsroom.membership.accounts.Member;
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
      UUID memberId,
      String email,
      long amount,
      String currency,
      Frequency frequency,
      GiftSource source,
      boolean coverFees,
      long coveredFee) {
    UUID id = UUID.randomUUID();
    GiftSource from = source == null ? new GiftSource(null, null, null, null, null) : source;
    em.createNativeQuery(
            "INSERT INTO checkout_attempt (id, member_id, donor_email, amount, currency,"
                + " frequency, created_at, source_article_url, source_campaign, utm_source,"
                + " utm_medium, utm_campaign, cover_fees, covered_fee)"
                + " VALUES (?, CAST(? AS UUID), ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")
        .setParameter(1, id)
        .setParameter(2, memberId)
        .setParameter(3, email)
        .setParameter(4, amount)
        .setParameter(5, currency)
        .setParameter(6, frequency.name())
        .setParameter(7, Timestamps.now())
        .setParameter(8, from.articleUrl())
        .setParameter(9, from.campaign())
        .setParameter(10, from.utmSource())
        .setParameter(11, from.utmMedium())
        .setParameter(12, from.utmCampaign())
        .setParameter(13, coverFees)
        .setParameter(14, coveredFee)
        .executeUpdate();
    return id;
  }

  public void sessionCreated(UUID attemptId, String sessionId) {
    em.createNativeQuery("UPDATE checkout_attempt SET checkout_session_id = ? WHERE id = ?")
        .setParameter(1, sessionId)
        .setParameter(2, attemptId)
        .executeUpdate();
  }

  /**
   * Part of an erasure (in its transaction): attempts lose the donor email, the member's customer
   * link goes. Returns the Checkout Session ids of the member's attempts, whose stored events are
   * then redacted.
   */
  @Transactional(Transactional.TxType.MANDATORY)
  public List<String> forget(UUID memberId, String provenEmail) {
    String email = provenEmail == null ? "" : Member.normalise(provenEmail);
    List<String> sessions =
        em
            .createNativeQuery(
                "SELECT checkout_session_id FROM checkout_attempt WHERE (member_id = ?"
                    + " OR LOWER(donor_email) = ?) AND checkout_session_id IS NOT NULL")
            .setParameter(1, memberId)
            .setParameter(2, email)
            .getResultList()
            .stream()
            .map(Object::toString)
            .toList();
    em.createNativeQuery(
            "UPDATE checkout_attempt SET donor_email = NULL WHERE member_id = ?"
                + " OR LOWER(donor_email) = ?")
        .setParameter(1, memberId)
        .setParameter(2, email)
        .executeUpdate();
    em.createNativeQuery("DELETE FROM stripe_customer WHERE member_id = ?")
        .setParameter(1, memberId)
        .executeUpdate();
    return sessions;
  }

  @Transactional(Transactional.TxType.SUPPORTS)
  public List<ContributionViews.CheckoutAttemptView> attemptsOf(UUID memberId) {
    return attempts(
        em.createNativeQuery(
                "SELECT id, amount, currency, frequency, donor_email, checkout_session_id,"
                    + " created_at FROM checkout_attempt WHERE member_id = ? ORDER BY created_at")
            .setParameter(1, memberId)
            .getResultList());
  }

  /** A guest's attempts: made without an account under the (normalised) address. */
  @Transactional(Transactional.TxType.SUPPORTS)
  List<ContributionViews.CheckoutAttemptView> guestAttemptsOf(String normalisedEmail) {
    return attempts(
        em.createNativeQuery(
                "SELECT id, amount, currency, frequency, donor_email, checkout_session_id,"
                    + " created_at FROM checkout_attempt WHERE member_id IS NULL"
                    + " AND LOWER(donor_email) = ? ORDER BY created_at")
            .setParameter(1, normalisedEmail)
            .getResultList());
  }

  /** A guest's erasure: their attempts lose the address; returns their Checkout Session ids. */
  @Transactional(Transactional.TxType.MANDATORY)
  List<String> forgetGuest(String normalisedEmail) {
    List<String> sessions =
        guestAttemptsOf(normalisedEmail).stream()
            .map(ContributionViews.CheckoutAttemptView::checkoutSessionId)
            .filter(java.util.Objects::nonNull)
            .toList();
    em.createNativeQuery(
            "UPDATE checkout_attempt SET donor_email = NULL WHERE member_id IS NULL"
                + " AND LOWER(donor_email) = ?")
        .setParameter(1, normalisedEmail)
        .executeUpdate();
    return sessions;
  }

  /** Whether anything is held under the address without an account. */
  @Transactional(Transactional.TxType.SUPPORTS)
  boolean holdsGuest(String normalisedEmail) {
    return !em.createNativeQuery(
            "SELECT 1 FROM checkout_attempt WHERE member_id IS NULL AND LOWER(donor_email) = ?"
                + " UNION SELECT 1 FROM payment WHERE member_id IS NULL"
                + " AND donor_email_normalized = ?"
                + " UNION SELECT 1 FROM recurring_contribution WHERE member_id IS NULL"
                + " AND donor_email_normalized = ?")
        .setParameter(1, normalisedEmail)
        .setParameter(2, normalisedEmail)
        .setParameter(3, normalisedEmail)
        .getResultList()
        .isEmpty();
  }

  private static List<ContributionViews.CheckoutAttemptView> attempts(List<?> rows) {
    return rows.stream()
        .map(Object[].class::cast)
        .map(
            r ->
                new ContributionViews.CheckoutAttemptView(
                    r[0] instanceof UUID u ? u : UUID.fromString(r[0].toString()),
                    ((Number) r[1]).longValue(),
                    r[2].toString(),
                    r[3].toString(),
                    (String) r[4],
                    (String) r[5],
                    instant(r[6])))
        .toList();
  }

  private static java.time.Instant instant(Object value) {
    if (value instanceof java.time.OffsetDateTime odt) {
      return odt.toInstant();
    }
    if (value instanceof java.sql.Timestamp ts) {
      return ts.toInstant();
    }
    return value == null ? null : java.time.OffsetDateTime.parse(value.toString()).toInstant();
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
