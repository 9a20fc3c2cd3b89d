package org.newsroom.membership.donations;

import java.time.Instant;
import java.time.LocalDate;
import java.util.Collection;
import java.util.Map;
import java.util.UUID;
import org.newsroom.membership.platform.ProblemException;
import org.newsroom.membership.platform.ProblemType;

/**
 * What donations asks of the payment provider, in donations' words. {@code stripe.StripePayments}
 * implements it, so donations never sees the Stripe SDK, Stripe's JSON or its exceptions, and
 * stripe can depend on donations without donations depending back.
 *
 * <p>A call the provider fails throws {@link Unavailable} (worth trying again later) or {@link
 * Refused} (the provider said no); the caller decides what the reader is told, usually {@link
 * #unavailable()}. With no provider configured, calls throw {@link #unavailable()} themselves.
 */
public interface PaymentGateway {

  /** Whether payments are configured at all (a secret key is set). */
  boolean configured();

  /**
   * A hosted checkout page for one gift; the gift is recorded only when the webhook confirms it.
   */
  CheckoutSessions.CheckoutCreated createCheckout(Checkout checkout);

  /** The member's customer at the provider; asking twice for one member gives the same one. */
  String createCustomer(UUID memberId, String email);

  /**
   * A new amount or frequency for a recurring contribution. A new amount alone applies from the
   * next period and returns null; with {@code atPeriodEnd} the change waits for the end of the
   * current period and the moment it takes effect is returned. Nothing is prorated or charged now.
   */
  Instant changePrice(
      String subscriptionId,
      UUID contributionId,
      String currency,
      long amount,
      Frequency frequency,
      boolean atPeriodEnd);

  void cancelAtPeriodEnd(String subscriptionId, UUID contributionId, String reason);

  /** Collection stops (open invoices are voided) until {@code resumeOn}, 00:00 UTC. */
  void pause(String subscriptionId, UUID contributionId, LocalDate resumeOn);

  void resume(String subscriptionId, UUID contributionId);

  void cancelNow(String subscriptionId);

  /** Where the customer changes their card, coming back to {@code returnUrl}. */
  String billingPortalUrl(String customerId, String returnUrl);

  /** Refunds {@code amount} of a charge; the ledger learns of it from the webhook, as ever. */
  RefundCreated refund(String chargeId, long amount, Map<String, String> metadata, String key);

  /**
   * The provider's side of erasing a person, inside the erasure's transaction: what it stored about
   * them is redacted and their customers are deleted there (later, so nothing waits on it).
   */
  void forget(Collection<String> references, String email, Collection<String> customerIds);

  /**
   * One checkout: {@code customerId} when the member's address is proved, else {@code email};
   * {@code metadata} travels with the payment or subscription (gift source, covered fee); {@code
   * returnTo} is the page the reader comes back to.
   */
  record Checkout(
      UUID attemptId,
      UUID memberId,
      String customerId,
      String email,
      long amount,
      String currency,
      Frequency frequency,
      Map<String, String> metadata,
      String returnTo) {}

  /** A refund as the provider created it; {@code amount} null when it did not say. */
  record RefundCreated(String id, Long amount, String status) {}

  /** The provider could not be reached, was too slow, or is being given a rest. */
  class Unavailable extends RuntimeException {
    public Unavailable(String message, Throwable cause) {
      super(message, cause);
    }
  }

  /** The provider answered and said no: the same request will not do better. */
  class Refused extends RuntimeException {
    public Refused(String message, Throwable cause) {
      super(message, cause);
    }
  }

  /** What a reader is told when a payment call cannot be made: 503, try again later. */
  static ProblemException unavailable() {
    return new ProblemException(
        ProblemType.PAYMENTS_UNAVAILABLE,
        "Payments are not available at the moment; try again later.");
  }
}
