package org.newsroom.membership.platform;

import com.hazelcast.config.CacheConfig;
import com.hazelcast.config.EvictionConfig;
import com.hazelcast.config.EvictionPolicy;
import com.hazelcast.config.MaxSizePolicy;
import jakarta.annotation.PostConstruct;
import jakarta.ejb.ConcurrencyManagement;
import jakarta.ejb.ConcurrencyManagementType;
import jakarta.ejb.Singleton;
import jakarta.ejb.Startup;
import jakarta.ejb.TransactionManagement;
import jakarta.ejb.TransactionManagementType;
import jakarta.inject.Inject;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.logging.Logger;
import javax.cache.Cache;
import javax.cache.CacheManager;
import javax.cache.configuration.Factory;
import javax.cache.expiry.AccessedExpiryPolicy;
import javax.cache.expiry.CreatedExpiryPolicy;
import javax.cache.expiry.Duration;
import javax.cache.expiry.ExpiryPolicy;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * Every cache shared by the instances through Payara's Hazelcast, created once while the
 * application starts, never lazily inside a request. Keys and values are plain strings and numbers,
 * which every member of the grid can read without the application's own classes.
 *
 * <p>Why at start-up, in a bean of its own: Payara's Hazelcast tenant control remembers the
 * invocation of the thread that creates a cache and re-enters it on Hazelcast's threads around
 * every later operation on that cache. Its copy shares the creating invocation's registry ({@code
 * ComponentInvocation.clone()} is shallow), so a cache created inside a request also remembered
 * that request's cleaner of non-transactional EntityManagers: from then on every operation on the
 * cache closed the request's long-closed EntityManager again and failed with "Attempting to execute
 * an operation on a closed EntityManager", on every instance whose first requests came in that
 * order, for the life of the instance. This bean's start-up invocation never touches an
 * EntityManager, so what the grid remembers is clean.
 */
@Startup
@Singleton
@ConcurrencyManagement(ConcurrencyManagementType.BEAN)
@TransactionManagement(TransactionManagementType.BEAN)
public class SharedCaches {

  private static final Logger LOG = Logger.getLogger(SharedCaches.class.getName());

  /** A cached session is dropped when unused this long; the database still has it. */
  private static final Duration SESSION_IDLE = new Duration(TimeUnit.HOURS, 24);

  /** Snapshots are evicted when something they show changes; the expiry is a safety net. */
  private static final Duration SNAPSHOT_SAFETY_NET = new Duration(TimeUnit.MINUTES, 30);

  @Inject CacheManager cacheManager;

  @Inject
  @ConfigProperty(name = "cache.max-entries")
  int maxEntries;

  @Inject
  @ConfigProperty(name = "rate-limit.window-seconds")
  long rateLimitWindowSeconds;

  @Inject
  @ConfigProperty(name = "rate-limit.max-entries")
  int maxRateLimitEntries;

  /** The key that seals cached values (see {@link GridSeal}); the same on every instance. */
  @Inject
  @ConfigProperty(name = "cluster.mac-key")
  Optional<String> macKey;

  private volatile NearCache sessions;
  private volatile NearCache entitlements;
  private volatile Cache<String, Long> rateLimits;

  @PostConstruct
  void createAll() {
    GridSeal seal = seal();
    sessions =
        new NearCache(
            named(
                "sessions",
                String.class,
                AccessedExpiryPolicy.factoryOf(SESSION_IDLE),
                maxEntries,
                EvictionPolicy.LRU),
            seal);
    entitlements =
        new NearCache(
            named(
                "entitlements",
                String.class,
                CreatedExpiryPolicy.factoryOf(SNAPSHOT_SAFETY_NET),
                maxEntries,
                EvictionPolicy.LRU),
            seal);
    // A counter lives exactly one window; beyond the bound the least frequently hit go first, so
    // an attacker's one-off junk keys are evicted before the counter of the victim they keep
    // hitting.
    rateLimits =
        named(
            "rate-limits",
            Long.class,
            CreatedExpiryPolicy.factoryOf(new Duration(TimeUnit.SECONDS, rateLimitWindowSeconds)),
            maxRateLimitEntries,
            EvictionPolicy.LFU);
  }

  private GridSeal seal() {
    if (macKey.isPresent() && !macKey.get().isBlank()) {
      return GridSeal.withKey(macKey.get());
    }
    LOG.warning(
        "cluster.mac-key is not set: this instance trusts only the cached sessions and snapshots"
            + " it wrote itself. Set the same key on every instance of a cluster.");
    return GridSeal.ofThisProcessOnly();
  }

  /** Session token hash to the cached session. */
  public NearCache sessions() {
    return sessions;
  }

  /** Member id to the rendered entitlement snapshot. */
  public NearCache entitlements() {
    return entitlements;
  }

  /** Rate-limit window keys to their counts. */
  public Cache<String, Long> rateLimits() {
    return rateLimits;
  }

  /** How long a rate-limit counter lives: the longest window a limit may have. */
  public java.time.Duration rateLimitWindow() {
    return java.time.Duration.ofSeconds(rateLimitWindowSeconds);
  }

  /**
   * The named cache, created with the expiry policy if this is the first instance to ask, and sized
   * explicitly: with JCache's configuration alone Hazelcast caps a cache at 10,000 entries and
   * evicts silently beyond that, which put every reader past the first 10,000 back on the database.
   */
  private <V> Cache<String, V> named(
      String name,
      Class<V> valueType,
      Factory<ExpiryPolicy> expiry,
      int size,
      EvictionPolicy eviction) {
    Cache<String, V> existing = cacheManager.getCache(name, String.class, valueType);
    if (existing != null) {
      return existing;
    }
    CacheConfig<String, V> config = new CacheConfig<>();
    config.setTypes(String.class, valueType);
    config.setExpiryPolicyFactory(expiry);
    config.setEvictionConfig(
        new EvictionConfig()
            .setMaxSizePolicy(MaxSizePolicy.ENTRY_COUNT)
            .setSize(size)
            .setEvictionPolicy(eviction));
    try {
      return cacheManager.createCache(name, config);
    } catch (javax.cache.CacheException anotherInstanceCreatedItFirst) {
      return cacheManager.getCache(name, String.class, valueType);
    }
  }
}
