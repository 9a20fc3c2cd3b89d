package org.newsroom.membership.donations;

import jakarta.inject.Inject;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.newsroom.membership.accounts.Caller;
import org.newsroom.membership.platform.ClientAddress;

@Path("donations")
@Consumes(MediaType.APPLICATION_JSON)
@Produces(MediaType.APPLICATION_JSON)
public class DonationsResource {

  @Inject CheckoutSessions checkoutSessions;
  @Inject DonationRules rules;
  @Inject FeeEstimates fees;
  @Inject Caller caller;
  @Inject ClientAddress clientAddress;
  @Context HttpServletRequest request;

  /** What covering Stripe's fee would add to a gift: {@code {amount, currency, fee, total}}. */
  @jakarta.ws.rs.GET
  @Path("fee-estimate")
  public FeeEstimates.Estimate feeEstimate(
      @jakarta.ws.rs.QueryParam("amount") String amount,
      @jakarta.ws.rs.QueryParam("currency") String currency) {
    long minor;
    try {
      minor = Long.parseLong(amount == null ? "" : amount.trim());
    } catch (NumberFormatException e) {
      throw org.newsroom.membership.platform.ProblemException.validation(
          "amount", "must be a whole number of minor units, such as 1250");
    }
    if (currency == null || currency.isBlank()) {
      throw org.newsroom.membership.platform.ProblemException.validation("currency", "is required");
    }
    rules.requireAccepted(currency, minor);
    return fees.estimate(currency, minor);
  }

  /** What the support page offers: each accepted currency with its exponent and limits. */
  public record Currencies(java.util.List<DonationRules.Accepted> currencies) {}

  @GET
  @Path("currencies")
  public Response currencies() {
    return Response.ok(new Currencies(rules.accepted()))
        .header("Cache-Control", "public, max-age=300")
        .build();
  }

  @POST
  @Path("checkout")
  public Response checkout(CheckoutSessions.CheckoutRequest body) {
    CheckoutSessions.CheckoutCreated created =
        checkoutSessions.create(
            body, caller.isSignedIn() ? caller.memberId() : null, clientAddress.of(request));
    return Response.status(201).entity(created).build();
  }
}
