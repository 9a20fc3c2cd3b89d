package org.newsroom.membership.accounts;

import java.time.Duration;
import java.util.Optional;
import org.eclipse.microprofile.config.inject.ConfigProperties;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/** The {@code session.*} settings (defaults in {@code microprofile-config.properties}). */
@ConfigProperties(prefix = "session")
public class SessionSettings {

  /** Sliding: a session unused this long is over. */
  @ConfigProperty(name = "idle-timeout-days")
  int idleTimeoutDays;

  /** However often it is used, a session ends this long after sign-in. */
  @ConfigProperty(name = "absolute-timeout-days")
  int absoluteTimeoutDays;

  /** Secure cookies; unset, they follow whether {@code public.base-url} is https. */
  @ConfigProperty(name = "cookie-secure")
  Optional<Boolean> cookieSecure;

  /** A Domain for the cookie so the site's other hosts see it; unset, a host-only cookie. */
  @ConfigProperty(name = "cookie-domain")
  Optional<String> cookieDomain;

  /** Database lookups of uncached sessions at once, so made-up tokens cannot take the pool. */
  @ConfigProperty(name = "lookup-concurrency")
  int lookupConcurrency;

  /** How long a lookup waits for its turn before the check answers degraded. */
  @ConfigProperty(name = "lookup-wait-ms")
  long lookupWaitMs;

  Duration idleTimeout() {
    return Duration.ofDays(idleTimeoutDays);
  }

  Duration absoluteTimeout() {
    return Duration.ofDays(absoluteTimeoutDays);
  }

  Optional<Boolean> cookieSecure() {
    return cookieSecure;
  }

  Optional<String> cookieDomain() {
    return cookieDomain.filter(domain -> !domain.isBlank());
  }

  int lookupConcurrency() {
    return lookupConcurrency;
  }

  Duration lookupWait() {
    return Duration.ofMillis(lookupWaitMs);
  }
}
