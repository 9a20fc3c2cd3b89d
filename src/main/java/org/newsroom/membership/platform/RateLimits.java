package org.newsroom.membership.platform;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import javax.cache.Cache;
import javax.cache.expiry.CreatedExpiryPolicy;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * Fixed-window counters in the shared JCache (Payara's Hazelcast), so every instance counts against
 * the same limit. Each window length has its own cache whose entries live exactly one window, so
 * the grid holds only live counters; each cache is bounded by {@code rate-limit.max-entries} and
 * evicts the least frequently hit counter first, so a flood of one-off junk keys goes before a
 * victim's counter that an attacker keeps hitting. Throttling slows an attacker down and never
 * locks the real owner out for longer than one window.
 */
@ApplicationScoped
public class RateLimits {

  @Inject SharedCaches caches;

  @Inject
  @ConfigProperty(name = "rate-limit.max-entries")
  int maxEntries;

  private final Map<Duration, Cache<String, Long>> countersByWindow = new ConcurrentHashMap<>();

  /** Throws 429 with Retry-After once {@code limit} hits have been counted in this window. */
  public void check(Limit limit, String subject) {
    Window window = limit.windowAt(Instant.now());
    Long count = counters(limit).get(window.key(limit, subject));
    if (count != null && count >= limit.max()) {
      throw ProblemException.tooManyRequests(window.secondsLeft());
    }
  }

  /** Counts one hit; throws 429 when this hit goes over the limit. */
  public void hit(Limit limit, String subject) {
    Window window = limit.windowAt(Instant.now());
    long count = increment(counters(limit), window.key(limit, subject));
    if (count > limit.max()) {
      throw ProblemException.tooManyRequests(window.secondsLeft());
    }
  }

  /** Counts one hit without failing (a failed sign-in is already answered with 401). */
  public void record(Limit limit, String subject) {
    increment(counters(limit), limit.windowAt(Instant.now()).key(limit, subject));
  }

  /** Created when a limit is defined, at start-up, never inside a request. */
  public Limit define(String name, int max, Duration window) {
    Limit limit = new Limit(name, max, window);
    counters(limit);
    return limit;
  }

  private Cache<String, Long> counters(Limit limit) {
    return countersByWindow.computeIfAbsent(
        limit.window(),
        window ->
            caches.named(
                "rate-limits-" + window.toSeconds() + "s",
                Long.class,
                CreatedExpiryPolicy.factoryOf(
                    new javax.cache.expiry.Duration(TimeUnit.SECONDS, window.toSeconds())),
                maxEntries));
  }

  private static long increment(Cache<String, Long> counters, String key) {
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
