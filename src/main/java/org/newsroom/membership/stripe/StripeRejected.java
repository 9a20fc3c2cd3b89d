package org.newsroom.membership.stripe;

/** Stripe answered and said no (4xx other than 429): retrying the same request cannot help. */
public class StripeRejected extends RuntimeException {
  private final Integer status;

  public StripeRejected(String message, Integer status, Throwable cause) {
    super(message, cause);
    this.status = status;
  }

  public Integer status() {
    return status;
  }
}
