package org.newsroom.membership.accounts;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.newsroom.membership.platform.ProblemException;
import org.newsroom.membership.platform.ProblemType;

/** Hashing is bounded: a burst waits a bounded time for a permit, then hears 503 busy. */
class PasswordsTest {

  @Test
  void aBurstBeyondThePermitsIsToldBusyWithRetryAfterNotQueuedForever() throws Exception {
    Passwords passwords = new Passwords();
    passwords.maxConcurrentHashes = 1;
    passwords.hashWaitMillis = 5;
    passwords.maxWaitingHashes = 8;
    passwords.init();
    CountDownLatch start = new CountDownLatch(1);
    ExecutorService burst = Executors.newFixedThreadPool(8);
    List<Future<Object>> outcomes = new ArrayList<>();
    for (int i = 0; i < 8; i++) {
      outcomes.add(
          burst.submit(
              () -> {
                start.await();
                try {
                  return passwords.hash("a password nobody uses " + Math.random());
                } catch (ProblemException refused) {
                  return refused;
                }
              }));
    }
    start.countDown();
    List<ProblemException> refused = new ArrayList<>();
    int hashed = 0;
    for (Future<Object> outcome : outcomes) {
      Object result = outcome.get();
      if (result instanceof ProblemException problem) {
        refused.add(problem);
      } else {
        hashed++;
      }
    }
    burst.shutdown();

    assertThat(hashed).as("the permit holder hashes").isPositive();
    assertThat(refused).as("the rest are refused, not queued").isNotEmpty();
    assertThat(refused)
        .allSatisfy(
            problem -> {
              assertThat(problem.status()).isEqualTo(503);
              assertThat(problem.type()).isEqualTo(ProblemType.BUSY);
              assertThat(problem.retryAfterSeconds()).isPositive();
            });
  }
}
