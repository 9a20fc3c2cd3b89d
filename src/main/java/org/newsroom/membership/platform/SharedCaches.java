package org.newsroom.membership.platform;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import javax.cache.Cache;
import javax.cache.CacheManager;
import javax.cache.configuration.Factory;
import javax.cache.configuration.MutableConfiguration;
import javax.cache.expiry.ExpiryPolicy;

/**
 * The caches shared by every instance through Payara's Hazelcast. Keys and values are plain strings
 * and numbers, which every member of the grid can read without the application's own classes.
 */
@ApplicationScoped
public class SharedCaches {

  @Inject CacheManager cacheManager;

  /** The named cache, created with the expiry policy if this is the first instance to ask. */
  public <V> Cache<String, V> named(String name, Class<V> valueType, Factory<ExpiryPolicy> expiry) {
    Cache<String, V> existing = cacheManager.getCache(name, String.class, valueType);
    if (existing != null) {
      return existing;
    }
    return cacheManager.createCache(
        name,
        new MutableConfiguration<String, V>()
            .setTypes(String.class, valueType)
            .setExpiryPolicyFactory(expiry));
  }
}
