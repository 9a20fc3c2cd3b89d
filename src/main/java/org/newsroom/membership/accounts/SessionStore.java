package org.newsroom.membership.accounts;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import jakarta.persistence.PersistenceContext;
import jakarta.transaction.Transactional;
import java.time.OffsetDateTime;
import java.util.Map;
import org.eclipse.microprofile.faulttolerance.CircuitBreaker;

/**
 * The database behind the session cache, reached only on a cache miss ({@link Sessions} bounds how
 * many at once). The circuit breaker makes an outage answer at once instead of costing every
 * request a connection timeout; it counts only database failures.
 */
@ApplicationScoped
public class SessionStore {

  @PersistenceContext EntityManager em;

  @CircuitBreaker(
      requestVolumeThreshold = 2,
      failureRatio = 0.5,
      delay = 5000,
      successThreshold = 1)
  @Transactional(Transactional.TxType.SUPPORTS)
  public MemberSession load(String tokenHash) {
    return em.find(MemberSession.class, tokenHash);
  }

  /** Writes the buffered last-seen times; never moves one backwards. */
  @Transactional
  public void recordLastSeen(Map<String, OffsetDateTime> lastSeen) {
    lastSeen.forEach(
        (hash, at) ->
            em.createQuery(
                    "UPDATE MemberSession s SET s.lastSeenAt = :at"
                        + " WHERE s.tokenHash = :hash AND s.lastSeenAt < :at")
                .setParameter("at", at)
                .setParameter("hash", hash)
                .executeUpdate());
  }
}
