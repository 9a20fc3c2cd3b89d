package org.newsroom.membership.donations;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import jakarta.persistence.PersistenceContext;
import jakarta.transaction.Transactional;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.UUID;
import org.newsroom.membership.accounts.SecretTokens;
import org.newsroom.membership.platform.ProblemException;
import org.newsroom.membership.platform.ProblemType;
import org.newsroom.membership.platform.Timestamps;

/**
 * The token in a failed renewal's mail: it opens the fix-your-card page for that one contribution
 * without signing in (guests have no account), and can do nothing but open a Stripe billing portal
 * session for the contribution's customer. Valid for 30 days, about as long as Stripe retries.
 */
@ApplicationScoped
public class RecoveryLinks {

  static final int VALID_DAYS = 30;

  @PersistenceContext EntityManager em;

  @Transactional(Transactional.TxType.MANDATORY)
  String issue(RecurringContribution c) {
    String token = SecretTokens.newToken();
    OffsetDateTime now = Timestamps.now();
    em.createNativeQuery(
            "INSERT INTO recovery_link (token_hash, recurring_id, created_at, expires_at)"
                + " VALUES (?, ?, ?, ?)")
        .setParameter(1, SecretTokens.hash(token))
        .setParameter(2, c.id())
        .setParameter(3, now)
        .setParameter(4, now.plusDays(VALID_DAYS))
        .executeUpdate();
    return token;
  }

  /** The contribution the token stands for; 400 {@code invalid-token} for anything else. */
  @Transactional(Transactional.TxType.SUPPORTS)
  public RecurringContribution contributionOf(String token) {
    if (token == null || !SecretTokens.looksValid(token)) {
      throw invalid();
    }
    @SuppressWarnings("unchecked")
    List<Object> ids =
        em.createNativeQuery(
                "SELECT recurring_id FROM recovery_link WHERE token_hash = ? AND expires_at > ?")
            .setParameter(1, SecretTokens.hash(token))
            .setParameter(2, Timestamps.now())
            .getResultList();
    if (ids.isEmpty()) {
      throw invalid();
    }
    Object id = ids.get(0);
    RecurringContribution c =
        em.find(
            RecurringContribution.class, id instanceof UUID u ? u : UUID.fromString(id.toString()));
    if (c == null) {
      throw invalid();
    }
    return c;
  }

  private static ProblemException invalid() {
    return new ProblemException(
        ProblemType.INVALID_TOKEN, "This link is not valid any more. Sign in to update your card.");
  }
}
