package org.newsroom.membership.donations;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.validation.constraints.Email;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.newsroom.membership.accounts.Member;
import org.newsroom.membership.accounts.Members;
import org.newsroom.membership.platform.AllowedOrigins;
import org.newsroom.membership.platform.JsonInteger;
import org.newsroom.membership.platform.ProblemException;
import org.newsroom.membership.platform.RateLimits;

/**
 * Creates checkout sessions (Stripe Checkout, through {@link PaymentGateway}). Nothing is fulfilled
 * here: a reader becomes a supporter only when Stripe's webhook says the money arrived.
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

  @Inject PaymentGateway gateway;
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

  public CheckoutCreated create(CheckoutRequest request, UUID memberId, String clientAddress) {
    if (!gateway.configured()) {
      throw PaymentGateway.unavailable();
    }
    rateLimits.hit(rateLimits.define("checkout-address", checkoutsPerAddress), clientAddress);
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
      Map<String, String> metadata =
          new LinkedHashMap<>(source == null ? Map.of() : source.metadata());
      if (coveredFee > 0) {
        metadata.put(COVERED_FEE_KEY, Long.toString(coveredFee));
      }
      CheckoutCreated created =
          gateway.createCheckout(
              new PaymentGateway.Checkout(
                  attemptId,
                  member.map(Member::id).orElse(null),
                  customer,
                  email,
                  charged,
                  currency,
                  request.frequency(),
                  metadata,
                  request.returnUrl() != null ? request.returnUrl() : publicBaseUrl + "/"));
      records.sessionCreated(attemptId, created.checkoutSessionId());
      return created;
    } catch (PaymentGateway.Unavailable e) {
      LOG.log(Level.WARNING, "Checkout " + attemptId + " failed: Stripe unavailable", e);
      throw PaymentGateway.unavailable();
    } catch (PaymentGateway.Refused e) {
      LOG.log(Level.SEVERE, "Checkout " + attemptId + " refused by Stripe", e);
      throw PaymentGateway.unavailable();
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
}
