package org.newsroom.membership.donations;

import com.stripe.param.checkout.SessionCreateParams;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.validation.constraints.Email;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;
import java.time.Duration;
import java.util.Locale;
import java.util.Optional;
import java.util.UUID;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.eclipse.microprofile.faulttolerance.exceptions.FaultToleranceException;
import org.newsroom.membership.accounts.Member;
import org.newsroom.membership.accounts.Members;
import org.newsroom.membership.platform.AllowedOrigins;
import org.newsroom.membership.platform.JsonInteger;
import org.newsroom.membership.platform.ProblemException;
import org.newsroom.membership.platform.RateLimits;
import org.newsroom.membership.stripe.StripeGateway;
import org.newsroom.membership.stripe.StripeRejected;
import org.newsroom.membership.stripe.StripeUnavailable;

/**
 * Creates Stripe Checkout Sessions. Nothing is fulfilled here: a reader becomes a supporter only
 * when Stripe's webhook says the money arrived.
 */
@ApplicationScoped
public class CheckoutSessions {

  private static final Logger LOG = Logger.getLogger(CheckoutSessions.class.getName());

  public record CheckoutRequest(
      @NotNull @JsonInteger Long amount,
      @NotBlank @Size(max = 3) String currency,
      @NotNull Frequency frequency,
      @Email @Size(max = 320) String email,
      @Size(max = 2000) String returnUrl,
      GiftSource.Request source,
      Boolean coverFees) {}

  /** Stripe metadata key of the fee the donor chose to cover, in minor units. */
  public static final String COVERED_FEE_KEY = "coveredFee";

  public record CheckoutCreated(String checkoutSessionId, String checkoutUrl) {}

  @Inject StripeGateway gateway;
  @Inject DonationRules rules;
  @Inject RateLimits rateLimits;
  @Inject AllowedOrigins allowedOrigins;
  @Inject Members members;
  @Inject CheckoutRecords records;
  @Inject FeeEstimates fees;

  @Inject
  @ConfigProperty(name = "public.base-url")
  String publicBaseUrl;

  @Inject
  @ConfigProperty(name = "rate-limit.checkouts-per-address")
  int checkoutsPerAddress;

  @Inject
  @ConfigProperty(name = "rate-limit.window-seconds")
  long windowSeconds;

  public CheckoutCreated create(CheckoutRequest request, UUID memberId, String clientAddress) {
    if (!gateway.configured()) {
      throw StripeGateway.notConfigured();
    }
    rateLimits.hit(
        new RateLimits.Limit(
            "checkout-address", checkoutsPerAddress, Duration.ofSeconds(windowSeconds)),
        clientAddress);
    String currency = request.currency().toUpperCase(Locale.ROOT);
    rules.requireAccepted(currency, request.amount());
    Optional<Member> member = Optional.ofNullable(memberId).flatMap(members::find);
    if (member.isEmpty() && (request.email() == null || request.email().isBlank())) {
      throw ProblemException.validation("email", "is needed when you are not signed in");
    }
    if (request.returnUrl() != null && !allowedOrigins.allowsUrl(request.returnUrl())) {
      throw ProblemException.validation("returnUrl", "is not on one of our sites");
    }
    GiftSource source = GiftSource.checked(request.source(), allowedOrigins::allowsUrl);
    boolean coverFees = Boolean.TRUE.equals(request.coverFees());
    long coveredFee = coverFees ? fees.estimate(currency, request.amount()).fee() : 0;
    long charged = request.amount() + coveredFee;
    long max = rules.limitsOf(currency).map(DonationRules.Limits::max).orElse(Long.MAX_VALUE);
    if (charged > max) {
      throw ProblemException.validation(
          "coverFees",
          "with the fee ("
              + Money.display(coveredFee, currency)
              + ") the gift would be over the most we accept, "
              + Money.display(max, currency));
    }
    String email = member.map(Member::email).orElse(request.email());
    UUID attemptId =
        records.attempt(
            member.map(Member::id).orElse(null),
            email,
            charged,
            currency,
            request.frequency(),
            source,
            coverFees,
            coveredFee);
    try {
      // The Stripe customer attaches only to an account whose address is proved; an unverified
      // one pays like a guest, with its address on the session.
      String customer = member.filter(Member::emailVerified).map(m -> customerOf(m)).orElse(null);
      SessionCreateParams params =
          params(
              request,
              currency,
              attemptId,
              member.map(Member::id).orElse(null),
              customer,
              email,
              source,
              charged,
              coveredFee);
      com.stripe.model.checkout.Session session =
          gateway.createCheckoutSession(params, "checkout-" + attemptId);
      records.sessionCreated(attemptId, session.getId());
      return new CheckoutCreated(session.getId(), session.getUrl());
    } catch (StripeUnavailable | FaultToleranceException e) {
      LOG.log(Level.WARNING, "Checkout " + attemptId + " failed: Stripe unavailable", e);
      throw StripeGateway.notConfigured();
    } catch (StripeRejected e) {
      LOG.log(Level.SEVERE, "Checkout " + attemptId + " refused by Stripe", e);
      throw StripeGateway.notConfigured();
    }
  }

  /** The member's one Stripe customer, created on first use. */
  private String customerOf(Member member) {
    Optional<String> known = records.customerOf(member.id());
    if (known.isPresent()) {
      return known.get();
    }
    String created = gateway.createCustomer(member.id(), member.email());
    try {
      records.customerCreated(member.id(), created);
      return created;
    } catch (RuntimeException raced) {
      // A concurrent checkout of the same member recorded it first (the same customer, as the
      // idempotency key is the member's id).
      return records.customerOf(member.id()).orElseThrow(() -> raced);
    }
  }

  private SessionCreateParams params(
      CheckoutRequest request,
      String currency,
      UUID attemptId,
      UUID memberId,
      String customer,
      String email,
      GiftSource source,
      long charged,
      long coveredFee) {
    java.util.Map<String, String> origin =
        new java.util.LinkedHashMap<>(source == null ? java.util.Map.of() : source.metadata());
    if (coveredFee > 0) {
      origin.put(COVERED_FEE_KEY, Long.toString(coveredFee));
    }
    String base = request.returnUrl() != null ? request.returnUrl() : publicBaseUrl + "/";
    String separator = base.contains("?") ? "&" : "?";
    Frequency frequency = request.frequency();
    SessionCreateParams.LineItem.PriceData.Builder price =
        SessionCreateParams.LineItem.PriceData.builder()
            .setCurrency(currency.toLowerCase(Locale.ROOT))
            .setUnitAmount(charged)
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
    if (customer != null) {
      params.setCustomer(customer);
    } else {
      params.setCustomerEmail(email);
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
}
