package org.newsroom.membership.stripe;

/**
 * Stripe could not be reached, was too slow, or answered 5xx or 429: worth retrying with the same
 * idempotency key, and a 503 for the reader if it persists.
 */
public class StripeUnavailable extends RuntimeException {
  public StripeUnavailable(String message, Throwable cause) {
    super(message, cause);
  }
}
