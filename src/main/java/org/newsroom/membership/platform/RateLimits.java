package org.newsroom.membership.platform;

import jakarta.annotation.PostConstruct;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Duration;
import java.time.Instant;
import javax.cache.Cache;

/**
 * Fixed-window counters in the shared JCache (Payara's Hazelcast), so every instance counts against
 * the same limit. A counter expires with its window: throttling slows an attacker down and never
 * locks the real owner out for longer than one window.
 */
@ApplicationScoped
public class RateLimits {

  @Inject SharedCaches caches;

  private Cache<String, Long> counters;

  @PostConstruct
  void createCache() {
    counters = caches.rateLimits();
  }

  /** Throws 429 with Retry-After once {@code limit} hits have been counted in this window. */
  public void check(Limit limit, String subject) {
    Window window = limit.windowAt(Instant.now());
    Long count = counters.get(window.key(limit, subject));
    if (count != null && count >= limit.max()) {
      throw ProblemException.tooManyRequests(window.secondsLeft());
    }
  }

  /** Counts one hit; throws 429 when this hit goes over the limit. */
  public void hit(Limit limit, String subject) {
    Window window = limit.windowAt(Instant.now());
    String key = window.key(limit, subject);
    long count = increment(key);
    if (count > limit.max()) {
      throw ProblemException.tooManyRequests(window.secondsLeft());
    }
  }

  /** Counts one hit without failing (a failed sign-in is already answered with 401). */
  public void record(Limit limit, String subject) {
    increment(limit.windowAt(Instant.now()).key(limit, subject));
  }

  private long increment(String key) {
    while (true) {
      Long current = counters.get(key);
      if (current == null) {
        if (counters.putIfAbsent(key, 1L)) {
          return 1;
        }
      } else if (counters.replace(key, current, current + 1)) {
        return current + 1;
      }
    }
  }

  /** A named limit: at most {@code max} hits per subject in each window. */
  public record Limit(String name, int max, Duration window) {
    Window windowAt(Instant now) {
      long seconds = window.toSeconds();
      long index = now.getEpochSecond() / seconds;
      return new Window(index, (index + 1) * seconds - now.getEpochSecond());
    }
  }

  private record Window(long index, long secondsLeft) {
    String key(Limit limit, String subject) {
      return limit.name() + '|' + index + '|' + subject;
    }
  }
}
