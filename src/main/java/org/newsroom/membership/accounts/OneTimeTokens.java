package org.newsroom.membership.accounts;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import jakarta.persistence.LockModeType;
import jakarta.persistence.PersistenceContext;
import jakarta.transaction.Transactional;
import java.time.OffsetDateTime;
import java.util.UUID;
import org.newsroom.membership.platform.ProblemException;
import org.newsroom.membership.platform.ProblemType;
import org.newsroom.membership.platform.Timestamps;

/** Mailed tokens: single use, expiring, and a newer one voids the older ones. */
@ApplicationScoped
public class OneTimeTokens {

  @PersistenceContext EntityManager em;

  @Transactional(Transactional.TxType.MANDATORY)
  public String issue(Member member, OneTimeToken.Purpose purpose) {
    OffsetDateTime now = Timestamps.now();
    em.createQuery(
            "UPDATE OneTimeToken t SET t.usedAt = :now"
                + " WHERE t.memberId = :member AND t.purpose = :purpose AND t.usedAt IS NULL")
        .setParameter("now", now)
        .setParameter("member", member.id())
        .setParameter("purpose", purpose)
        .executeUpdate();
    String token = SecretTokens.newToken();
    em.persist(
        new OneTimeToken(SecretTokens.hash(token), member.id(), purpose, member.email(), now));
    return token;
  }

  /**
   * Uses a token up; 400 {@code invalid-token} when it is unknown, used, expired or for another
   * purpose. The row lock makes two concurrent uses of one token succeed once.
   */
  @Transactional(Transactional.TxType.MANDATORY)
  public OneTimeToken use(String token, OneTimeToken.Purpose purpose) {
    OneTimeToken stored = usable(token, purpose, LockModeType.PESSIMISTIC_WRITE);
    stored.use(Timestamps.now());
    return stored;
  }

  /**
   * The token as {@link #use} would find it, without using it up: for the checks (a password, a
   * hash of the new one) that must happen outside the transaction that uses it.
   */
  @Transactional(Transactional.TxType.MANDATORY)
  public OneTimeToken peek(String token, OneTimeToken.Purpose purpose) {
    return usable(token, purpose, LockModeType.NONE);
  }

  private OneTimeToken usable(String token, OneTimeToken.Purpose purpose, LockModeType lock) {
    OneTimeToken stored =
        SecretTokens.looksValid(token)
            ? em.find(OneTimeToken.class, SecretTokens.hash(token), lock)
            : null;
    if (stored == null || stored.purpose() != purpose || !stored.usableAt(Timestamps.now())) {
      throw new ProblemException(
          ProblemType.INVALID_TOKEN,
          "This link is unknown, already used or expired. Ask for a new one.");
    }
    return stored;
  }

  @Transactional(Transactional.TxType.MANDATORY)
  public void deleteAll(UUID memberId) {
    em.createQuery("DELETE FROM OneTimeToken t WHERE t.memberId = :member")
        .setParameter("member", memberId)
        .executeUpdate();
  }
}
