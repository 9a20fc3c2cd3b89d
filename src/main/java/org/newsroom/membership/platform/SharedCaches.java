package org.newsroom.membership.platform;

import com.hazelcast.config.CacheConfig;
import com.hazelcast.config.EvictionConfig;
import com.hazelcast.config.EvictionPolicy;
import com.hazelcast.config.MaxSizePolicy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import javax.cache.Cache;
import javax.cache.CacheManager;
import javax.cache.configuration.Factory;
import javax.cache.expiry.ExpiryPolicy;

/**
 * The caches shared by every instance through Payara's Hazelcast. Keys and values are plain strings
 * and numbers, which every member of the grid can read without the application's own classes.
 *
 * <p>Each cache names its own size bound: Hazelcast's default for a JCache is 10,000 entries per
 * member, evicted least-recently-used, which a crowd of readers (or an attacker's junk keys) would
 * reach in seconds.
 */
@ApplicationScoped
public class SharedCaches {

  @Inject CacheManager cacheManager;

  /**
   * The named cache, created with the expiry policy and at most {@code maxEntries} entries per
   * instance (least-frequently-used evicted first) if this is the first instance to ask.
   */
  public <V> Cache<String, V> named(
      String name, Class<V> valueType, Factory<ExpiryPolicy> expiry, int maxEntries) {
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
            .setSize(maxEntries)
            .setEvictionPolicy(EvictionPolicy.LFU));
    try {
      return cacheManager.createCache(name, config);
    } catch (javax.cache.CacheException anotherInstanceCreatedItFirst) {
      return cacheManager.getCache(name, String.class, valueType);
    }
  }
}
