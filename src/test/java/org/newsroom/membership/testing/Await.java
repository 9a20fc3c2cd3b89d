package org.newsroom.membership.testing;

import java.time.Duration;
import java.time.Instant;
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
    Instant deadline = Instant.now().plus(timeout);
    while (true) {
      try {
        if (Boolean.TRUE.equals(condition.get())) {
          return;
        }
      } catch (RuntimeException | AssertionError notYet) {
        // not yet
      }
      if (Instant.now().isAfter(deadline)) {
        throw new AssertionError("Not within " + timeout.toSeconds() + " s: " + what);
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
