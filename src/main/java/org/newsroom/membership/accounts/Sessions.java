package org.newsroom.membership.accounts;

import jakarta.annotation.PostConstruct;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.persistence.PersistenceContext;
import jakarta.transaction.Transactional;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.newsroom.membership.platform.NearCache;
import org.newsroom.membership.platform.SharedCaches;
import org.newsroom.membership.platform.Timestamps;

/**
 * Sign-in sessions: started at every sign-in, found from the presented token, revoked on sign-out,
 * password change, reset and deletion. The token-hash to member lookup is the first step of every
 * article-page check, so it is answered from the shared JCache; the database is asked only on a
 * miss, and revocation removes the entry everywhere at once.
 */
@ApplicationScoped
public class Sessions {

  /** Sliding expiry needs a last-seen time, but not to the second. */
  private static final Duration TOUCH_GRANULARITY = Duration.ofMinutes(10);

  @PersistenceContext EntityManager em;
  @Inject SessionStore store;
  @Inject SharedCaches caches;

  @Inject
  @ConfigProperty(name = "session.idle-timeout-days")
  int idleTimeoutDays;

  @Inject
  @ConfigProperty(name = "session.absolute-timeout-days")
  int absoluteTimeoutDays;

  private NearCache cache;

  /** Last-seen times waiting to be written; {@link SessionTouches} flushes them. */
  private final Map<String, OffsetDateTime> pendingTouches = new ConcurrentHashMap<>();

  @PostConstruct
  void createCache() {
    cache = caches.sessions();
  }

  /** Starts a session and returns its token, the only time the token exists in the clear. */
  @Transactional(Transactional.TxType.MANDATORY)
  public String start(UUID memberId, String userAgent) {
    String token = SecretTokens.newToken();
    OffsetDateTime now = now();
    MemberSession session =
        new MemberSession(
            SecretTokens.hash(token), memberId, now, now.plusDays(absoluteTimeoutDays), userAgent);
    em.persist(session);
    cache.put(session.tokenHash(), CachedSession.of(session).encode());
    return token;
  }

  /** The member a presented token signs in, if any. Cheap for garbage: no lookup at all. */
  public SessionLookup find(String token) {
    if (!SecretTokens.looksValid(token)) {
      return SessionLookup.NONE;
    }
    String hash = SecretTokens.hash(token);
    OffsetDateTime now = now();
    String cached = cache.get(hash);
    CachedSession session;
    if (cached != null) {
      session = CachedSession.decode(cached);
    } else {
      MemberSession stored;
      try {
        stored = store.load(hash);
      } catch (RuntimeException databaseUnavailableOrBusy) {
        return SessionLookup.UNAVAILABLE;
      }
      if (stored == null || stored.revoked()) {
        return SessionLookup.NONE;
      }
      session = CachedSession.of(stored);
      cache.put(hash, session.encode());
    }
    if (!session.activeAt(now, Duration.ofDays(idleTimeoutDays))) {
      cache.remove(hash);
      return SessionLookup.NONE;
    }
    if (session.lastSeen().plus(TOUCH_GRANULARITY).isBefore(now)) {
      cache.put(hash, session.seenAt(now).encode());
      pendingTouches.put(hash, now);
    }
    return new SessionLookup(SessionLookup.Outcome.ACTIVE, session.memberId(), hash);
  }

  @Transactional
  public void revoke(String tokenHash) {
    MemberSession session = em.find(MemberSession.class, tokenHash);
    if (session != null) {
      session.revoke(now());
    }
    cache.remove(tokenHash);
  }

  /** Revokes every session of the member except, when given, the one in use. */
  @Transactional(Transactional.TxType.MANDATORY)
  public void revokeAll(UUID memberId, String exceptTokenHash) {
    List<MemberSession> sessions =
        em.createQuery(
                "SELECT s FROM MemberSession s WHERE s.memberId = :member AND s.revokedAt IS NULL",
                MemberSession.class)
            .setParameter("member", memberId)
            .getResultList();
    OffsetDateTime now = now();
    for (MemberSession session : sessions) {
      if (!session.tokenHash().equals(exceptTokenHash)) {
        session.revoke(now);
        cache.remove(session.tokenHash());
      }
    }
  }

  /** What {@code GET /api/me/data} shows of sessions: never a token or its hash. */
  public List<MemberSession> activeSessionsOf(UUID memberId) {
    return em.createQuery(
            "SELECT s FROM MemberSession s WHERE s.memberId = :member AND s.revokedAt IS NULL"
                + " ORDER BY s.createdAt",
            MemberSession.class)
        .setParameter("member", memberId)
        .getResultList();
  }

  /** Removes the member's sessions entirely, as part of erasing the member. */
  @Transactional(Transactional.TxType.MANDATORY)
  public void deleteAll(UUID memberId) {
    revokeAll(memberId, null);
    em.createQuery("DELETE FROM MemberSession s WHERE s.memberId = :member")
        .setParameter("member", memberId)
        .executeUpdate();
  }

  void flushTouches() {
    if (pendingTouches.isEmpty()) {
      return;
    }
    Map<String, OffsetDateTime> batch = new HashMap<>();
    for (String hash : List.copyOf(pendingTouches.keySet())) {
      OffsetDateTime at = pendingTouches.remove(hash);
      if (at != null) {
        batch.put(hash, at);
      }
    }
    try {
      store.recordLastSeen(batch);
    } catch (RuntimeException e) {
      batch.forEach(pendingTouches::putIfAbsent);
      throw e;
    }
  }

  private static OffsetDateTime now() {
    return Timestamps.now();
  }

  /** The cached form: three fields in a string, which every grid member can read. */
  record CachedSession(UUID memberId, OffsetDateTime absoluteExpiry, OffsetDateTime lastSeen) {

    static CachedSession of(MemberSession session) {
      return new CachedSession(
          session.memberId(), session.absoluteExpiresAt(), session.lastSeenAt());
    }

    boolean activeAt(OffsetDateTime now, Duration idleTimeout) {
      return now.isBefore(absoluteExpiry) && now.isBefore(lastSeen.plus(idleTimeout));
    }

    CachedSession seenAt(OffsetDateTime now) {
      return new CachedSession(memberId, absoluteExpiry, now);
    }

    String encode() {
      return memberId + " " + absoluteExpiry.toEpochSecond() + " " + lastSeen.toEpochSecond();
    }

    static CachedSession decode(String value) {
      String[] parts = value.split(" ");
      return new CachedSession(
          UUID.fromString(parts[0]), utc(Long.parseLong(parts[1])), utc(Long.parseLong(parts[2])));
    }

    private static OffsetDateTime utc(long epochSecond) {
      return OffsetDateTime.ofInstant(java.time.Instant.ofEpochSecond(epochSecond), ZoneOffset.UTC);
    }
  }
}
