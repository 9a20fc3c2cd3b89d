package org.newsroom.membership.testing;

import java.time.Duration;
import java.time.Instant;
import java.util.function.Predicate;
import java.util.function.Supplier;

/**
 * Waiting on what a test can observe (a row, a mail, a counter, an answer) instead of sleeping for
 * a time that is too long on a quiet machine and too short on a busy one.
 */
public final class Await {

  private static final Duration DEFAULT = Duration.ofSeconds(20);
  private static final Duration POLL = Duration.ofMillis(100);

  private Await() {}

  /** Polls until the condition holds, for up to 20 seconds; a throw counts as not yet. */
  public static void eventually(Supplier<Boolean> condition, String what) {
    eventually(DEFAULT, condition, what);
  }

  public static void eventually(Duration timeout, Supplier<Boolean> condition, String what) {
    until(timeout, condition, Boolean.TRUE::equals, () -> what);
  }

  /**
   * Polls {@code value} until {@code done} accepts what it gives, and returns that; a throw counts
   * as not yet. On time-out the failure says {@code what} (asked only then, so it can describe the
   * state the test was left in) and the last value seen.
   */
  public static <T> T until(
      Duration timeout, Supplier<T> value, Predicate<? super T> done, Supplier<String> what) {
    Instant deadline = Instant.now().plus(timeout);
    T last = null;
    while (true) {
      try {
        last = value.get();
        if (done.test(last)) {
          return last;
        }
      } catch (RuntimeException | AssertionError notYet) {
        // not yet
      }
      if (Instant.now().isAfter(deadline)) {
        throw new AssertionError(
            "Not within "
                + timeout.toSeconds()
                + " s: "
                + what.get()
                + " (last seen: "
                + last
                + ")");
      }
      try {
        Thread.sleep(POLL.toMillis());
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException(e);
      }
    }
  }
}
