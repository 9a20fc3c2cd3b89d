package org.newsroom.membership.platform;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.hazelcast.cache.HazelcastCachingProvider;
import com.hazelcast.cache.HazelcastMemberCachingProvider;
import com.hazelcast.config.Config;
import com.hazelcast.core.Hazelcast;
import com.hazelcast.core.HazelcastInstance;
import java.time.Duration;
import java.util.UUID;
import javax.cache.CacheManager;
import javax.cache.Caching;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Rate limits on the data grid the service runs on (Hazelcast, as inside Payara Micro), with a
 * bound far below the attack: an attacker who fills the grid with junk keys must not reset the
 * counter that throttles them on a victim's account.
 */
class RateLimitsTest {

  private static final int BOUND = 5_000;

  private static HazelcastInstance grid;
  private static CacheManager cacheManager;

  @BeforeAll
  static void startAGridOfOne() {
    Config config = new Config().setClusterName("rate-limits-test-" + UUID.randomUUID());
    config.getNetworkConfig().setPort(0).setPortAutoIncrement(true);
    config.getNetworkConfig().getJoin().getMulticastConfig().setEnabled(false);
    config.getNetworkConfig().getJoin().getAutoDetectionConfig().setEnabled(false);
    config.getNetworkConfig().getInterfaces().setEnabled(true).addInterface("127.0.0.1");
    config.setProperty("hazelcast.phone.home.enabled", "false");
    grid = Hazelcast.newHazelcastInstance(config);
    cacheManager =
        Caching.getCachingProvider(HazelcastMemberCachingProvider.class.getName())
            .getCacheManager(null, null, HazelcastCachingProvider.propertiesByInstanceItself(grid));
  }

  @AfterEach
  void dropTheCounters() {
    cacheManager.destroyCache("rate-limits");
  }

  @AfterAll
  static void stopTheGrid() {
    cacheManager.close();
    grid.shutdown();
  }

  /** The caches as the service creates them at start-up, with this test's bound and window. */
  private static RateLimits rateLimits(java.time.Duration window) {
    SharedCaches caches = new SharedCaches();
    caches.cacheManager = cacheManager;
    caches.maxEntries = BOUND;
    caches.maxRateLimitEntries = BOUND;
    caches.rateLimitWindowSeconds = window.toSeconds();
    caches.macKey = java.util.Optional.empty();
    caches.createAll();
    RateLimits limits = new RateLimits();
    limits.caches = caches;
    return limits;
  }

  @Test
  void twentyThousandJunkKeysDoNotResetAVictimsCounter() {
    RateLimits limits = rateLimits(Duration.ofMinutes(15));
    RateLimits.Limit signIn = limits.define("sign-in-email", 10, Duration.ofMinutes(15));
    for (int i = 0; i < 10; i++) {
      limits.record(signIn, "victim@readers.example");
    }
    assertThatThrownBy(() -> limits.check(signIn, "victim@readers.example"))
        .isInstanceOf(ProblemException.class);

    for (int i = 0; i < 20_000; i++) {
      limits.record(signIn, "junk-" + i + "@spray.example");
    }

    // Hazelcast enforces the bound per partition (bound / 271 each), so the total is approximate.
    assertThat(cacheManager.getCache("rate-limits", String.class, Long.class))
        .as("the grid keeps about the bound, far fewer than the junk")
        .hasSizeLessThanOrEqualTo(2 * BOUND);
    assertThatThrownBy(() -> limits.check(signIn, "victim@readers.example"))
        .as("the victim's counter survived the junk")
        .isInstanceOf(ProblemException.class)
        .extracting(e -> ((ProblemException) e).status())
        .isEqualTo(429);
  }

  @Test
  void aCounterLivesNoLongerThanItsWindow() throws InterruptedException {
    RateLimits limits = rateLimits(Duration.ofSeconds(2));
    RateLimits.Limit tight = limits.define("short", 1, Duration.ofSeconds(2));
    limits.record(tight, "someone");
    assertThat(cacheManager.getCache("rate-limits", String.class, Long.class))
        .as("one live counter")
        .hasSize(1);
    long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
    while (cacheManager.getCache("rate-limits", String.class, Long.class).iterator().hasNext()
        && System.nanoTime() < deadline) {
      Thread.sleep(100);
    }
    assertThat(cacheManager.getCache("rate-limits", String.class, Long.class))
        .as("gone once its window has passed")
        .isEmpty();
  }
}
