package org.newsroom.membership.accounts;

import com.password4j.Argon2Function;
import com.password4j.Password;
import com.password4j.types.Argon2;
import jakarta.annotation.PostConstruct;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import me.gosimple.nbvcxz.resources.DictionaryUtil;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.newsroom.membership.platform.ProblemException;
import org.newsroom.membership.platform.ProblemType;

/**
 * Password policy and hashing: Argon2id with OWASP's parameters (19 MiB, 2 passes, 1 lane) in PHC
 * string form. Each hash holds 19 MiB for its duration, so concurrent hashing is bounded to keep a
 * burst of sign-ins from exhausting the heap; callers queue for a bounded time and are then told
 * 503 {@code busy} with Retry-After. Callers hash outside their transactions, so a queue of
 * sign-ins never holds database connections.
 */
@ApplicationScoped
public class Passwords {

  static final int MIN_LENGTH = 8;
  static final int MAX_LENGTH = 256;
  static final Argon2Function CURRENT = Argon2Function.getInstance(19 * 1024, 2, 1, 32, Argon2.ID);

  /** nbvcxz ships a ranked list of the 100,000 most common passwords, lower case. */
  private static final Map<String, Integer> COMMON =
      DictionaryUtil.loadRankedDictionary(DictionaryUtil.passwords);

  @Inject
  @ConfigProperty(name = "accounts.max-concurrent-hashes")
  int maxConcurrentHashes;

  @Inject
  @ConfigProperty(name = "accounts.hash-wait-ms")
  long hashWaitMillis;

  @Inject
  @ConfigProperty(name = "accounts.max-waiting-hashes")
  int maxWaitingHashes;

  private Semaphore hashing;

  /**
   * Requests that may wait for a hashing permit: each holds an HTTP thread while it waits, so a
   * flood of sign-ins must not take the threads the article-page check needs. Past it: busy at
   * once.
   */
  private Semaphore waiting;

  /** Checked against when the email is unknown, so that case costs the same work. */
  private String decoyHash;

  @PostConstruct
  void init() {
    hashing = new Semaphore(maxConcurrentHashes, true);
    waiting = new Semaphore(Math.max(1, maxWaitingHashes), false);
    decoyHash = hash(SecretTokens.newToken());
  }

  /** Throws a 400 naming {@code field} with the reason when the password may not be used. */
  public void checkAcceptable(String field, String password) {
    if (password == null) {
      throw ProblemException.validation(field, "is required");
    }
    // Measured in code points, so an emoji counts as one character and nothing is truncated.
    int length = password.codePointCount(0, password.length());
    if (length < MIN_LENGTH) {
      throw ProblemException.validation(field, "must be at least " + MIN_LENGTH + " characters");
    }
    if (length > MAX_LENGTH) {
      throw ProblemException.validation(field, "must be at most " + MAX_LENGTH + " characters");
    }
    if (COMMON.containsKey(password.toLowerCase(Locale.ROOT))) {
      throw ProblemException.validation(
          field, "is one of the most commonly used passwords; choose another");
    }
  }

  public String hash(String password) {
    return bounded(() -> Password.hash(password).addRandomSalt(16).with(CURRENT).getResult());
  }

  /** Checks a password; a null stored hash (unknown email, erased member) burns the same time. */
  public boolean matches(String password, String storedHash) {
    if (password == null || password.length() > MAX_LENGTH * 2) {
      return false;
    }
    String hash = storedHash != null ? storedHash : decoyHash;
    boolean ok =
        bounded(
            () -> Password.check(password, hash).with(Argon2Function.getInstanceFromHash(hash)));
    return ok && storedHash != null;
  }

  private static ProblemException busy() {
    return new ProblemException(
        ProblemType.BUSY, "Too many sign-ins at this moment; try again in a second.", null, 1);
  }

  /** A hash made with older parameters is replaced at the next successful sign-in. */
  public boolean needsRehash(String storedHash) {
    return !Argon2Function.getInstanceFromHash(storedHash).equals(CURRENT);
  }

  private <T> T bounded(java.util.function.Supplier<T> work) {
    if (!waiting.tryAcquire()) {
      throw busy();
    }
    boolean permitted;
    try {
      permitted = hashing.tryAcquire(hashWaitMillis, TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      permitted = false;
    } finally {
      waiting.release();
    }
    if (!permitted) {
      throw busy();
    }
    try {
      return work.get();
    } finally {
      hashing.release();
    }
  }
}
