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
  @Inject Caller caller;
  @Inject ClientAddress clientAddress;
  @Context HttpServletRequest request;

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
