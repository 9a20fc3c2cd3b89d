package org.newsroom.membership.stripe;

import static org.newsroom.membership.stripe.StripeGateway.call;
import static org.newsroom.membership.stripe.StripeGateway.callRaw;
import static org.newsroom.membership.stripe.StripeGateway.idempotent;

import com.google.gson.JsonObject;
import com.stripe.param.CustomerCreateParams;
import com.stripe.param.SubscriptionUpdateParams;
import com.stripe.param.checkout.SessionCreateParams;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.temporal.ChronoUnit;
import java.util.Map;
import java.util.UUID;
import org.eclipse.microprofile.faulttolerance.CircuitBreaker;
import org.eclipse.microprofile.faulttolerance.Retry;
import org.eclipse.microprofile.faulttolerance.Timeout;
import org.eclipse.microprofile.faulttolerance.exceptions.TimeoutException;

/**
 * The calls to Stripe that a reader, or staff acting for one, waits for. Each is bounded to 10 s
 * and retried twice by MicroProfile Fault Tolerance, always with the caller's idempotency key, so a
 * retry after a timeout can never create a second object at Stripe; a refusal (a 4xx) is never
 * retried. The rule is written once, on the class, so every call here keeps it.
 */
@ApplicationScoped
@Retry(
    maxRetries = 2,
    delay = 200,
    jitter = 100,
    retryOn = {StripeUnavailable.class, TimeoutException.class},
    abortOn = StripeRejected.class)
@Timeout(value = 10, unit = ChronoUnit.SECONDS)
public class StripeReaderCalls {

  @Inject StripeGateway stripe;

  @CircuitBreaker(
      requestVolumeThreshold = 20,
      failureRatio = 0.9,
      delay = 5000,
      failOn = {StripeUnavailable.class, TimeoutException.class})
  public com.stripe.model.checkout.Session createCheckoutSession(
      SessionCreateParams params, String idempotencyKey) {
    return call(
        () -> stripe.client().checkout().sessions().create(params, idempotent(idempotencyKey)));
  }

  public String createCustomer(UUID memberId, String email) {
    CustomerCreateParams params =
        CustomerCreateParams.builder()
            .setEmail(email)
            .putMetadata("memberId", memberId.toString())
            .build();
    // One customer per member, whoever asks first and however often: Stripe answers a repeated
    // key with the customer it already created.
    return call(() ->
            stripe.client().customers().create(params, idempotent("customer-" + memberId)))
        .getId();
  }

  public JsonObject updateSubscription(
      String subscriptionId, SubscriptionUpdateParams params, String idempotencyKey) {
    return callRaw(
        () ->
            stripe
                .client()
                .subscriptions()
                .update(subscriptionId, params, idempotent(idempotencyKey)));
  }

  public JsonObject subscriptionForChange(String subscriptionId) {
    return callRaw(() -> stripe.client().subscriptions().retrieve(subscriptionId));
  }

  /** The subscription's schedule: its own if it has one, else a new one made from it. */
  public JsonObject scheduleOf(String subscriptionId, String scheduleId, String idempotencyKey) {
    if (scheduleId != null) {
      return callRaw(() -> stripe.client().subscriptionSchedules().retrieve(scheduleId));
    }
    com.stripe.param.SubscriptionScheduleCreateParams params =
        com.stripe.param.SubscriptionScheduleCreateParams.builder()
            .setFromSubscription(subscriptionId)
            .build();
    return callRaw(
        () -> stripe.client().subscriptionSchedules().create(params, idempotent(idempotencyKey)));
  }

  public JsonObject updateSchedule(
      String scheduleId,
      com.stripe.param.SubscriptionScheduleUpdateParams params,
      String idempotencyKey) {
    return callRaw(
        () ->
            stripe
                .client()
                .subscriptionSchedules()
                .update(scheduleId, params, idempotent(idempotencyKey)));
  }

  public void cancelSubscriptionNow(String subscriptionId) {
    call(() -> stripe.client().subscriptions().cancel(subscriptionId));
  }

  public String billingPortalUrl(String customerId, String returnUrl) {
    com.stripe.param.billingportal.SessionCreateParams params =
        com.stripe.param.billingportal.SessionCreateParams.builder()
            .setCustomer(customerId)
            .setReturnUrl(returnUrl)
            .build();
    return call(() -> stripe.client().billingPortal().sessions().create(params)).getUrl();
  }

  /**
   * Refunds a charge in full ({@code amount} null) or in part. The ledger learns of the refund only
   * from the {@code charge.refunded} webhook, as for a refund made in the dashboard; the caller's
   * idempotency key makes a retried or repeated request one refund.
   */
  public JsonObject refund(
      String chargeId, Long amount, Map<String, String> metadata, String idempotencyKey) {
    com.stripe.param.RefundCreateParams.Builder params =
        com.stripe.param.RefundCreateParams.builder()
            .setCharge(chargeId)
            .setReason(com.stripe.param.RefundCreateParams.Reason.REQUESTED_BY_CUSTOMER)
            .putAllMetadata(metadata);
    if (amount != null) {
      params.setAmount(amount);
    }
    return callRaw(
        () -> stripe.client().refunds().create(params.build(), idempotent(idempotencyKey)));
  }
}
