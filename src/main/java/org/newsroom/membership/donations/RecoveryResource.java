package org.newsroom.membership.donations;

import jakarta.inject.Inject;
import jakarta.validation.constraints.NotNull;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.time.Instant;
import java.util.Map;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.newsroom.membership.platform.ProblemException;

/**
 * The fix-your-card page's calls, authorised by the token of the failed renewal's mail (no session:
 * guests give too). POST, so the token stays out of access logs; opening the page changes nothing.
 */
@Path("recovery")
@Consumes(MediaType.APPLICATION_JSON)
@Produces(MediaType.APPLICATION_JSON)
public class RecoveryResource {

  public record Token(@NotNull String token) {}

  public record Contribution(
      long amount,
      String currency,
      int currencyDecimals,
      Frequency frequency,
      RecurringStatus status,
      Instant unpaidSince) {}

  @Inject RecoveryLinks links;
  @Inject PaymentGateway gateway;

  @Inject
  @ConfigProperty(name = "public.base-url")
  String publicBaseUrl;

  /** What the link is about, for the page to show before the reader goes to Stripe. */
  @POST
  public Contribution contribution(Token body) {
    RecurringContribution c = links.contributionOf(body.token());
    return new Contribution(
        c.amount().minor(),
        c.amount().currency(),
        Money.exponent(c.amount().currency()),
        c.frequency(),
        c.status(),
        c.unpaidSince() == null ? null : c.unpaidSince().toInstant());
  }

  /** A Stripe billing portal session for the contribution's customer, to change the card. */
  @POST
  @Path("card")
  public Map<String, String> card(Token body) {
    RecurringContribution c = links.contributionOf(body.token());
    if (c.stripeCustomerId() == null) {
      throw ProblemException.notFound("This contribution has no Stripe customer.");
    }
    try {
      return Map.of(
          "url",
          gateway.billingPortalUrl(
              c.stripeCustomerId(), publicBaseUrl + "/fix-payment.html?updated=1"));
    } catch (PaymentGateway.Unavailable | PaymentGateway.Refused e) {
      throw PaymentGateway.unavailable();
    }
  }
}
