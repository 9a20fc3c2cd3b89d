package org.newsroom.membership.stripe;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.stripe.param.SubscriptionScheduleUpdateParams;
import com.stripe.param.SubscriptionUpdateParams;
import com.stripe.param.checkout.SessionCreateParams;
import com.stripe.param.common.EmptyParam;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.Collection;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.function.Supplier;
import org.eclipse.microprofile.faulttolerance.exceptions.FaultToleranceException;
import org.newsroom.membership.donations.CheckoutSessions.CheckoutCreated;
import org.newsroom.membership.donations.Frequency;
import org.newsroom.membership.donations.PaymentGateway;

/**
 * Donations' {@link PaymentGateway} on Stripe: turns donations' requests into Stripe parameters,
 * and Stripe's answers and failures back into donations' words. Every call goes through {@link
 * StripeReaderCalls}, which bounds and retries it; idempotency keys carry the contribution's id so
 * a retry is the same request at Stripe.
 */
@ApplicationScoped
public class StripePayments implements PaymentGateway {

  @Inject StripeGateway stripe;
  @Inject StripeReaderCalls calls;
  @Inject StripeErasure erasure;

  @Override
  public boolean configured() {
    return stripe.configured();
  }

  @Override
  public CheckoutCreated createCheckout(Checkout checkout) {
    com.stripe.model.checkout.Session session =
        translated(
            () ->
                calls.createCheckoutSession(
                    sessionParams(checkout), "checkout-" + checkout.attemptId()));
    return new CheckoutCreated(session.getId(), session.getUrl());
  }

  @Override
  public String createCustomer(UUID memberId, String email) {
    return translated(() -> calls.createCustomer(memberId, email));
  }

  @Override
  public Instant changePrice(
      String subscriptionId,
      UUID contributionId,
      String currency,
      long amount,
      Frequency frequency,
      boolean atPeriodEnd) {
    return translated(
        () -> {
          JsonObject subscription = calls.subscriptionForChange(subscriptionId);
          JsonObject item =
              subscription.getAsJsonObject("items").getAsJsonArray("data").get(0).getAsJsonObject();
          JsonObject price = item.getAsJsonObject("price");
          String product =
              price.get("product").isJsonObject()
                  ? price.getAsJsonObject("product").get("id").getAsString()
                  : price.get("product").getAsString();
          if (atPeriodEnd) {
            return scheduleAtPeriodEnd(
                subscriptionId,
                contributionId,
                currency,
                subscription,
                price,
                product,
                amount,
                frequency);
          }
          SubscriptionUpdateParams params =
              SubscriptionUpdateParams.builder()
                  .addItem(
                      SubscriptionUpdateParams.Item.builder()
                          .setId(item.get("id").getAsString())
                          .setPriceData(
                              SubscriptionUpdateParams.Item.PriceData.builder()
                                  .setCurrency(currency.toLowerCase(Locale.ROOT))
                                  .setProduct(product)
                                  .setUnitAmount(amount)
                                  .setRecurring(
                                      SubscriptionUpdateParams.Item.PriceData.Recurring.builder()
                                          .setInterval(
                                              frequency == Frequency.ANNUAL
                                                  ? SubscriptionUpdateParams.Item.PriceData
                                                      .Recurring.Interval.YEAR
                                                  : SubscriptionUpdateParams.Item.PriceData
                                                      .Recurring.Interval.MONTH)
                                          .build())
                                  .build())
                          .build())
                  // The new amount takes effect from the next period; nothing is charged now.
                  .setProrationBehavior(SubscriptionUpdateParams.ProrationBehavior.NONE)
                  .build();
          calls.updateSubscription(
              subscriptionId, params, "change-" + contributionId + "-" + UUID.randomUUID());
          return null;
        });
  }

  /**
   * Makes (or reuses) the subscription's schedule: its current phase keeps today's price until the
   * period ends, then a phase at the new price and interval starts, after which the schedule
   * releases the subscription. Nothing is prorated or invoiced now. Returns when the change takes
   * effect.
   */
  private Instant scheduleAtPeriodEnd(
      String subscriptionId,
      UUID contributionId,
      String currency,
      JsonObject subscription,
      JsonObject price,
      String product,
      long newAmount,
      Frequency newFrequency) {
    String key = "schedule-" + contributionId + "-" + UUID.randomUUID();
    JsonElement existing = subscription.get("schedule");
    String existingId =
        existing == null || existing.isJsonNull()
            ? null
            : existing.isJsonObject()
                ? existing.getAsJsonObject().get("id").getAsString()
                : existing.getAsString();
    JsonObject schedule = calls.scheduleOf(subscriptionId, existingId, key + "-create");
    JsonObject phase =
        schedule.has("current_phase") && schedule.get("current_phase").isJsonObject()
            ? schedule.getAsJsonObject("current_phase")
            : schedule.getAsJsonArray("phases").get(0).getAsJsonObject();
    long start = phase.get("start_date").getAsLong();
    long end = phase.get("end_date").getAsLong();
    boolean annual = newFrequency == Frequency.ANNUAL;
    SubscriptionScheduleUpdateParams params =
        SubscriptionScheduleUpdateParams.builder()
            .setEndBehavior(SubscriptionScheduleUpdateParams.EndBehavior.RELEASE)
            .addPhase(
                SubscriptionScheduleUpdateParams.Phase.builder()
                    .addItem(
                        SubscriptionScheduleUpdateParams.Phase.Item.builder()
                            .setPrice(price.get("id").getAsString())
                            .setQuantity(1L)
                            .build())
                    .setStartDate(start)
                    .setEndDate(end)
                    .setProrationBehavior(
                        SubscriptionScheduleUpdateParams.Phase.ProrationBehavior.NONE)
                    .build())
            .addPhase(
                SubscriptionScheduleUpdateParams.Phase.builder()
                    .addItem(
                        SubscriptionScheduleUpdateParams.Phase.Item.builder()
                            .setPriceData(
                                SubscriptionScheduleUpdateParams.Phase.Item.PriceData.builder()
                                    .setCurrency(currency.toLowerCase(Locale.ROOT))
                                    .setProduct(product)
                                    .setUnitAmount(newAmount)
                                    .setRecurring(
                                        SubscriptionScheduleUpdateParams.Phase.Item.PriceData
                                            .Recurring.builder()
                                            .setInterval(
                                                annual
                                                    ? SubscriptionScheduleUpdateParams.Phase.Item
                                                        .PriceData.Recurring.Interval.YEAR
                                                    : SubscriptionScheduleUpdateParams.Phase.Item
                                                        .PriceData.Recurring.Interval.MONTH)
                                            .build())
                                    .build())
                            .setQuantity(1L)
                            .build())
                    .setDuration(
                        SubscriptionScheduleUpdateParams.Phase.Duration.builder()
                            .setInterval(
                                annual
                                    ? SubscriptionScheduleUpdateParams.Phase.Duration.Interval.YEAR
                                    : SubscriptionScheduleUpdateParams.Phase.Duration.Interval
                                        .MONTH)
                            .setIntervalCount(1L)
                            .build())
                    .setProrationBehavior(
                        SubscriptionScheduleUpdateParams.Phase.ProrationBehavior.NONE)
                    .build())
            .build();
    calls.updateSchedule(schedule.get("id").getAsString(), params, key);
    return Instant.ofEpochSecond(end);
  }

  @Override
  public void cancelAtPeriodEnd(String subscriptionId, UUID contributionId, String reason) {
    SubscriptionUpdateParams.Builder params =
        SubscriptionUpdateParams.builder().setCancelAtPeriodEnd(true);
    if (reason != null && !reason.isBlank()) {
      params.setCancellationDetails(
          SubscriptionUpdateParams.CancellationDetails.builder().setComment(reason).build());
    }
    translated(
        () ->
            calls.updateSubscription(
                subscriptionId,
                params.build(),
                "cancel-" + contributionId + "-" + UUID.randomUUID()));
  }

  @Override
  public void pause(String subscriptionId, UUID contributionId, LocalDate resumeOn) {
    long resumesAt = resumeOn.atStartOfDay(ZoneOffset.UTC).toEpochSecond();
    SubscriptionUpdateParams params =
        SubscriptionUpdateParams.builder()
            .setPauseCollection(
                SubscriptionUpdateParams.PauseCollection.builder()
                    .setBehavior(SubscriptionUpdateParams.PauseCollection.Behavior.VOID)
                    .setResumesAt(resumesAt)
                    .build())
            .build();
    translated(
        () ->
            calls.updateSubscription(
                subscriptionId, params, "pause-" + contributionId + "-" + UUID.randomUUID()));
  }

  @Override
  public void resume(String subscriptionId, UUID contributionId) {
    SubscriptionUpdateParams params =
        SubscriptionUpdateParams.builder().setPauseCollection(EmptyParam.EMPTY).build();
    translated(
        () ->
            calls.updateSubscription(
                subscriptionId, params, "resume-" + contributionId + "-" + UUID.randomUUID()));
  }

  @Override
  public void cancelNow(String subscriptionId) {
    translated(
        () -> {
          calls.cancelSubscriptionNow(subscriptionId);
          return null;
        });
  }

  @Override
  public String billingPortalUrl(String customerId, String returnUrl) {
    return translated(() -> calls.billingPortalUrl(customerId, returnUrl));
  }

  @Override
  public RefundCreated refund(
      String chargeId, long amount, Map<String, String> metadata, String key) {
    JsonObject r = translated(() -> calls.refund(chargeId, amount, metadata, key));
    return new RefundCreated(
        r.get("id").getAsString(),
        r.has("amount") ? r.get("amount").getAsLong() : null,
        r.has("status") && !r.get("status").isJsonNull() ? r.get("status").getAsString() : null);
  }

  @Override
  public void forget(Collection<String> references, String email, Collection<String> customerIds) {
    erasure.forget(references, email, customerIds);
  }

  private static SessionCreateParams sessionParams(Checkout checkout) {
    String base = checkout.returnTo();
    String separator = base.contains("?") ? "&" : "?";
    Frequency frequency = checkout.frequency();
    UUID attemptId = checkout.attemptId();
    UUID memberId = checkout.memberId();
    Map<String, String> origin = checkout.metadata();
    SessionCreateParams.LineItem.PriceData.Builder price =
        SessionCreateParams.LineItem.PriceData.builder()
            .setCurrency(checkout.currency().toLowerCase(Locale.ROOT))
            .setUnitAmount(checkout.amount())
            .setProductData(
                SessionCreateParams.LineItem.PriceData.ProductData.builder()
                    .setName(
                        switch (frequency) {
                          case ONE_OFF -> "One-off contribution";
                          case MONTHLY -> "Monthly contribution";
                          case ANNUAL -> "Annual contribution";
                        })
                    .build());
    if (frequency.recurring()) {
      price.setRecurring(
          SessionCreateParams.LineItem.PriceData.Recurring.builder()
              .setInterval(
                  frequency == Frequency.ANNUAL
                      ? SessionCreateParams.LineItem.PriceData.Recurring.Interval.YEAR
                      : SessionCreateParams.LineItem.PriceData.Recurring.Interval.MONTH)
              .build());
    }
    SessionCreateParams.Builder params =
        SessionCreateParams.builder()
            .setMode(
                frequency.recurring()
                    ? SessionCreateParams.Mode.SUBSCRIPTION
                    : SessionCreateParams.Mode.PAYMENT)
            .setSuccessUrl(base + separator + "checkout=success&session_id={CHECKOUT_SESSION_ID}")
            .setCancelUrl(base + separator + "checkout=cancelled")
            .setClientReferenceId(attemptId.toString())
            .addLineItem(
                SessionCreateParams.LineItem.builder()
                    .setQuantity(1L)
                    .setPriceData(price.build())
                    .build())
            .putMetadata("attemptId", attemptId.toString())
            .putMetadata("frequency", frequency.name())
            .putAllMetadata(origin);
    if (memberId != null) {
      params.putMetadata("memberId", memberId.toString());
    }
    if (checkout.customerId() != null) {
      params.setCustomer(checkout.customerId());
    } else {
      params.setCustomerEmail(checkout.email());
    }
    if (frequency.recurring()) {
      SessionCreateParams.SubscriptionData.Builder data =
          SessionCreateParams.SubscriptionData.builder()
              .putMetadata("attemptId", attemptId.toString())
              .putMetadata("frequency", frequency.name())
              .putAllMetadata(origin);
      if (memberId != null) {
        data.putMetadata("memberId", memberId.toString());
      }
      params.setSubscriptionData(data.build());
    } else {
      SessionCreateParams.PaymentIntentData.Builder data =
          SessionCreateParams.PaymentIntentData.builder()
              .putMetadata("attemptId", attemptId.toString())
              .putMetadata("frequency", frequency.name())
              .putAllMetadata(origin);
      if (memberId != null) {
        data.putMetadata("memberId", memberId.toString());
      }
      params.setPaymentIntentData(data.build());
    }
    return params.build();
  }

  /** Stripe's failures in donations' words; the original stays the cause, for the log. */
  private static <T> T translated(Supplier<T> call) {
    try {
      return call.get();
    } catch (StripeUnavailable | FaultToleranceException e) {
      throw new Unavailable(e.getMessage(), e);
    } catch (StripeRejected e) {
      throw new Refused(e.getMessage(), e);
    }
  }
}
