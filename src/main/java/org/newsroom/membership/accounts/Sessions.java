package org.newsroom.membership.accounts;

import jakarta.annotation.PostConstruct;
import jakarta.annotation.Resource;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.persistence.PersistenceContext;
import jakarta.transaction.Synchronization;
import jakarta.transaction.TransactionSynchronizationRegistry;
import jakarta.transaction.Transactional;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import org.eclipse.microprofile.config.inject.ConfigProperties;
import org.newsroom.membership.platform.NearCache;
import org.newsroom.membership.platform.SharedCaches;
import org.newsroom.membership.platform.Timestamps;

/**
 * Sign-in sessions: started at every sign-in, found from the presented token, revoked on sign-out,
 * password change, reset, proof of the address, staff role change and deletion. The token-hash to
 * member lookup is the first step of every article-page check, so it is answered from the shared
 * JCache; the database is asked only on a miss.
 *
 * <p>Revocation wins every race: it writes a {@code revoked} marker into the cache (not a removal)
 * before its transaction commits and again after, and a session loaded from the database is cached
 * only where the cache holds nothing ({@code putIfAbsent}) and refreshed only where it still holds
 * the value read ({@code replace}). So a lookup that read the row just before the revocation
 * committed can never put the session back, and the write after commit reaches every instance's
 * near cache again.
 */
@ApplicationScoped
public class Sessions {

  /** The cached value of a revoked session. */
  static final String REVOKED = "revoked";

  /** Unknown tokens remembered per instance, so a stale cookie sent on every page costs no SQL. */
  private static final int UNKNOWN_TOKENS_KEPT = 100_000;

  private static final long UNKNOWN_TOKEN_NANOS = Duration.ofMinutes(5).toNanos();

  /** Sliding expiry needs a last-seen time, but not to the second. */
  private static final Duration TOUCH_GRANULARITY = Duration.ofMinutes(10);

  @PersistenceContext EntityManager em;
  @Inject SessionStore store;
  @Inject SharedCaches caches;
  @Resource TransactionSynchronizationRegistry transactions;

  @Inject @ConfigProperties SessionSettings settings;

  private NearCache cache;

  /**
   * Database lookups on a cache miss: bounded so a flood of made-up tokens cannot take every pooled
   * connection, and waited for (briefly) rather than refused, so ordinary misses during a flood are
   * answered instead of reported as degraded.
   */
  private Semaphore lookups;

  private final Map<String, Long> unknownTokens = new ConcurrentHashMap<>();

  /** Last-seen times waiting to be written; {@link SessionTouches} flushes them. */
  private final Map<String, OffsetDateTime> pendingTouches = new ConcurrentHashMap<>();

  private Duration idleTimeout;
  private long lookupWaitMillis;

  @PostConstruct
  void createCache() {
    idleTimeout = settings.idleTimeout();
    lookups = new Semaphore(settings.lookupConcurrency(), true);
    lookupWaitMillis = settings.lookupWait().toMillis();
    cache = caches.sessions();
  }

  /** Starts a session and returns its token, the only time the token exists in the clear. */
  @Transactional(Transactional.TxType.MANDATORY)
  public String start(UUID memberId, String userAgent) {
    String token = SecretTokens.newToken();
    OffsetDateTime now = now();
    MemberSession session =
        new MemberSession(
            SecretTokens.hash(token),
            memberId,
            now,
            now.plus(settings.absoluteTimeout()),
            userAgent);
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
    if (knownUnknown(hash)) {
      return SessionLookup.NONE;
    }
    OffsetDateTime now = now();
    Cached cached = cache.get(hash, Cached::decode);
    if (cached == null) {
      SessionLookup loaded = load(hash);
      if (loaded != null) {
        return loaded;
      }
      cached = cache.get(hash, Cached::decode);
      if (cached == null) {
        return SessionLookup.NONE;
      }
    }
    CachedSession session = cached.session();
    if (session == null) {
      return SessionLookup.NONE;
    }
    if (!session.activeAt(now, idleTimeout)) {
      cache.remove(hash, cached.value());
      return SessionLookup.NONE;
    }
    if (session.lastSeen().plus(TOUCH_GRANULARITY).isBefore(now)
        && cache.replace(hash, cached.value(), session.seenAt(now).encode())) {
      pendingTouches.put(hash, now);
    }
    return new SessionLookup(SessionLookup.Outcome.ACTIVE, session.memberId(), hash);
  }

  /**
   * Reads a session the cache does not hold and caches it unless something was cached meanwhile.
   * Returns the answer when the database settled it, or null to read the cache again.
   */
  private SessionLookup load(String hash) {
    MemberSession stored;
    try {
      if (!lookups.tryAcquire(lookupWaitMillis, TimeUnit.MILLISECONDS)) {
        return SessionLookup.UNAVAILABLE;
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return SessionLookup.UNAVAILABLE;
    }
    try {
      stored = store.load(hash);
    } catch (RuntimeException databaseUnavailable) {
      return SessionLookup.UNAVAILABLE;
    } finally {
      lookups.release();
    }
    if (stored == null) {
      rememberUnknown(hash);
      return SessionLookup.NONE;
    }
    cache.putIfAbsent(hash, stored.revoked() ? REVOKED : CachedSession.of(stored).encode());
    return null;
  }

  private boolean knownUnknown(String hash) {
    Long until = unknownTokens.get(hash);
    if (until == null) {
      return false;
    }
    if (until - System.nanoTime() > 0) {
      return true;
    }
    unknownTokens.remove(hash);
    return false;
  }

  private void rememberUnknown(String hash) {
    if (unknownTokens.size() >= UNKNOWN_TOKENS_KEPT) {
      unknownTokens.clear();
    }
    unknownTokens.put(hash, System.nanoTime() + UNKNOWN_TOKEN_NANOS);
  }

  @Transactional
  public void revoke(String tokenHash) {
    MemberSession session = em.find(MemberSession.class, tokenHash);
    if (session != null) {
      session.revoke(now());
    }
    markRevoked(tokenHash);
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
        markRevoked(session.tokenHash());
      }
    }
  }

  /**
   * The marker goes in now and again once the revocation is committed (or rolled back: harmless).
   */
  private void markRevoked(String tokenHash) {
    cache.put(tokenHash, REVOKED);
    transactions.registerInterposedSynchronization(
        new Synchronization() {
          @Override
          public void beforeCompletion() {}

          @Override
          public void afterCompletion(int status) {
            cache.put(tokenHash, REVOKED);
          }
        });
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

  /** A cached value as read: the string itself, and the session it holds (null: revoked). */
  record Cached(String value, CachedSession session) {
    static Cached decode(String value) {
      return new Cached(value, REVOKED.equals(value) ? null : CachedSession.decode(value));
    }
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
