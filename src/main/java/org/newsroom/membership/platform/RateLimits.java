package org.newsroom.membership.platform;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Duration;
import java.time.Instant;
import javax.cache.Cache;

/**
 * Fixed-window counters in the shared JCache (Payara's Hazelcast), so every instance counts against
 * the same limit. The cache ({@link SharedCaches#rateLimits()}) lets a counter live one window
 * ({@code rate-limit.window-seconds}, the window every limit uses) and holds at most {@code
 * rate-limit.max-entries}, evicting the least frequently hit first, so a flood of one-off junk keys
 * goes before a victim's counter that an attacker keeps hitting. Throttling slows an attacker down
 * and never locks the real owner out for longer than one window.
 */
@ApplicationScoped
public class RateLimits {

  @Inject SharedCaches caches;

  /** Throws 429 with Retry-After once {@code limit} hits have been counted in this window. */
  public void check(Limit limit, String subject) {
    Window window = limit.windowAt(Instant.now());
    Long count = counters().get(window.key(limit, subject));
    if (count != null && count >= limit.max()) {
      throw ProblemException.tooManyRequests(window.secondsLeft());
    }
  }

  /** Counts one hit; throws 429 when this hit goes over the limit. */
  public void hit(Limit limit, String subject) {
    Window window = limit.windowAt(Instant.now());
    long count = increment(window.key(limit, subject));
    if (count > limit.max()) {
      throw ProblemException.tooManyRequests(window.secondsLeft());
    }
  }

  /** Counts one hit without failing (a failed sign-in is already answered with 401). */
  public void record(Limit limit, String subject) {
    increment(limit.windowAt(Instant.now()).key(limit, subject));
  }

  /** A named limit over the window every limit uses ({@code rate-limit.window-seconds}). */
  public Limit define(String name, int max) {
    return new Limit(name, max, caches.rateLimitWindow());
  }

  /**
   * A named limit with a shorter window of its own (tests). Its window may not be longer than the
   * cache's (counters would expire before their window ends, which only makes the limit more
   * lenient, so that is refused at start-up).
   */
  public Limit define(String name, int max, Duration window) {
    if (window.compareTo(caches.rateLimitWindow()) > 0) {
      throw new IllegalArgumentException(
          "Limit " + name + " has a window longer than rate-limit.window-seconds");
    }
    return new Limit(name, max, window);
  }

  private Cache<String, Long> counters() {
    return caches.rateLimits();
  }

  private long increment(String key) {
    Cache<String, Long> counters = counters();
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
