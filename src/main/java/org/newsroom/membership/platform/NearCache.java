package org.newsroom.membership.platform;

import com.hazelcast.cache.impl.CacheProxy;
import java.io.Serializable;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Function;
import java.util.logging.Logger;
import javax.cache.Cache;
import javax.cache.configuration.CacheEntryListenerConfiguration;
import javax.cache.configuration.FactoryBuilder;
import javax.cache.configuration.MutableCacheEntryListenerConfiguration;
import javax.cache.event.CacheEntryEvent;
import javax.cache.event.CacheEntryExpiredListener;
import javax.cache.event.CacheEntryListener;
import javax.cache.event.CacheEntryRemovedListener;
import javax.cache.event.CacheEntryUpdatedListener;

/**
 * An in-process copy in front of a shared JCache, for the article-page check: a hit costs a map
 * lookup instead of a trip through the data grid. It stays correct because every change and removal
 * in the grid, on any instance, is delivered to each instance's listener, which drops the local
 * copy; a change made here drops it at once. Local copies also age out after {@code maxAge}, which
 * bounds staleness should an event ever be lost, and the whole copy is cleared when it reaches
 * {@code maxEntries} so memory stays bounded under a flood of distinct keys.
 *
 * <p>What goes to the grid is sealed ({@link GridSeal}); a value from the grid whose seal is not
 * genuine, written by a grid member without the key, is refused and reads as a miss, so the caller
 * rebuilds the answer from the database.
 */
public final class NearCache {

  /** Local copies by cache name; the grid's listeners find theirs here. */
  private static final Map<String, Map<String, Local>> LOCAL = new ConcurrentHashMap<>();

  private static final Logger LOG = Logger.getLogger(NearCache.class.getName());

  private final Cache<String, String> grid;
  private final GridSeal seal;
  private final Map<String, Local> local;
  private final long maxAgeNanos;
  private final int maxEntries;

  /**
   * A local copy. {@code decoded} memoises what the caller makes of the value (see {@link
   * #get(String, Function)}), so a hit parses nothing; a racing first decode just does it twice.
   */
  private static final class Local {
    final String value;
    final long staleAt;
    volatile Object decoded;

    Local(String value, long staleAt) {
      this.value = value;
      this.staleAt = staleAt;
    }
  }

  /**
   * How long an instance trusts its own copy without asking the grid (events usually win). Each
   * copy goes stale at a random moment between half of this and all of it: copies made together, as
   * by a warm-up or a burst after a deploy, would otherwise all go stale in the same second and
   * send every reader to the grid at once, which is what the benchmark caught with 60 s for all.
   */
  private static final Duration MAX_AGE = Duration.ofMinutes(5);

  private static final int MAX_ENTRIES = 200_000;

  public NearCache(Cache<String, String> grid, GridSeal seal) {
    this(grid, seal, MAX_AGE, MAX_ENTRIES);
  }

  NearCache(Cache<String, String> grid, GridSeal seal, Duration maxAge, int maxEntries) {
    this.grid = grid;
    this.seal = seal;
    this.local = LOCAL.computeIfAbsent(grid.getName(), name -> new ConcurrentHashMap<>());
    this.maxAgeNanos = maxAge.toNanos();
    this.maxEntries = maxEntries;
    listen(
        grid,
        new MutableCacheEntryListenerConfiguration<>(
            FactoryBuilder.factoryOf(new Invalidator(grid.getName())), null, false, false));
  }

  /**
   * Registers this instance's invalidator with the grid without adding it to the cache's shared
   * configuration. JCache's own registration adds it there, and the grid then sends that
   * configuration, the invalidator Java-serialised with it, to every member that joins later: that
   * fails on the sending member ("This web container has not yet been started", from the
   * application's class loader on a Hazelcast thread), the join never completes, and an instance
   * started beside running ones (a rolling restart, a replacement, a scale-out) ended up in a grid
   * of its own. Each instance registers its own invalidator as it starts, so the shared
   * configuration never needs it.
   */
  private static void listen(
      Cache<String, String> grid, CacheEntryListenerConfiguration<String, String> listener) {
    if (grid instanceof CacheProxy<String, String> member) {
      member.registerCacheEntryListener(listener, false);
    } else {
      grid.registerCacheEntryListener(listener);
    }
  }

  public String get(String key) {
    Local copy = local.get(key);
    long now = System.nanoTime();
    if (copy != null && now - copy.staleAt < 0) {
      return copy.value;
    }
    String sealed = grid.get(key);
    if (sealed == null) {
      return null;
    }
    String value = seal.open(grid.getName(), key, sealed);
    if (value == null) {
      LOG.warning(
          () ->
              "Refused a value in the shared cache "
                  + grid.getName()
                  + " whose seal is not genuine: written by a grid member without cluster.mac-key");
      return null;
    }
    remember(key, value, now);
    return value;
  }

  /**
   * The value as {@code decode} makes it, decoded once per local copy instead of on every hit: the
   * article-page check reads the same few entries thousands of times a second. A cache must always
   * be read with the same decoder.
   */
  @SuppressWarnings("unchecked")
  public <T> T get(String key, Function<String, T> decode) {
    Local copy = local.get(key);
    if (copy != null && System.nanoTime() - copy.staleAt < 0) {
      Object decoded = copy.decoded;
      if (decoded == null) {
        decoded = decode.apply(copy.value);
        copy.decoded = decoded;
      }
      return (T) decoded;
    }
    String value = get(key);
    if (value == null) {
      return null;
    }
    T decoded = decode.apply(value);
    Local fresh = local.get(key);
    if (fresh != null && fresh.value == value) {
      fresh.decoded = decoded;
    }
    return decoded;
  }

  public void put(String key, String value) {
    grid.put(key, seal.seal(grid.getName(), key, value));
    remember(key, value, System.nanoTime());
  }

  public void remove(String key) {
    local.remove(key);
    grid.remove(key);
  }

  /**
   * Stores the value only if the grid has none for the key: a value loaded from the database never
   * overwrites one written meanwhile (a revocation marker, say). Returns null when stored, else
   * what the grid holds (null again if that was removed in between).
   */
  public String putIfAbsent(String key, String value) {
    if (grid.putIfAbsent(key, seal.seal(grid.getName(), key, value))) {
      remember(key, value, System.nanoTime());
      return null;
    }
    local.remove(key);
    String sealed = grid.get(key);
    return sealed == null ? null : seal.open(grid.getName(), key, sealed);
  }

  /** Replaces the value only if it is still {@code expected}; true when it was replaced. */
  public boolean replace(String key, String expected, String value) {
    if (grid.replace(
        key, seal.seal(grid.getName(), key, expected), seal.seal(grid.getName(), key, value))) {
      remember(key, value, System.nanoTime());
      return true;
    }
    local.remove(key);
    return false;
  }

  /** Removes the entry only if it still holds {@code expected}. */
  public void remove(String key, String expected) {
    local.remove(key);
    grid.remove(key, seal.seal(grid.getName(), key, expected));
  }

  private void remember(String key, String value, long now) {
    if (local.size() >= maxEntries) {
      local.clear();
    }
    long jitter = ThreadLocalRandom.current().nextLong(maxAgeNanos / 2 + 1);
    local.put(key, new Local(value, now + maxAgeNanos - jitter));
  }

  /** Registered with the grid; runs on every instance and drops that instance's copy. */
  public static final class Invalidator
      implements CacheEntryUpdatedListener<String, String>,
          CacheEntryRemovedListener<String, String>,
          CacheEntryExpiredListener<String, String>,
          CacheEntryListener<String, String>,
          Serializable {

    private final String cacheName;

    Invalidator(String cacheName) {
      this.cacheName = cacheName;
    }

    private void drop(Iterable<CacheEntryEvent<? extends String, ? extends String>> events) {
      Map<String, Local> copies = LOCAL.get(cacheName);
      if (copies != null) {
        for (CacheEntryEvent<? extends String, ? extends String> event : events) {
          copies.remove(event.getKey());
        }
      }
    }

    @Override
    public void onUpdated(Iterable<CacheEntryEvent<? extends String, ? extends String>> events) {
      drop(events);
    }

    @Override
    public void onRemoved(Iterable<CacheEntryEvent<? extends String, ? extends String>> events) {
      drop(events);
    }

    @Override
    public void onExpired(Iterable<CacheEntryEvent<? extends String, ? extends String>> events) {
      drop(events);
    }
  }
}
