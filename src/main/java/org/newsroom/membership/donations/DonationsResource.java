package org.newsroom.membership.donations;

import jakarta.inject.Inject;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.ws.rs.Consumes;
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
  @Inject Caller caller;
  @Inject ClientAddress clientAddress;
  @Context HttpServletRequest request;

  @POST
  @Path("checkout")
  public Response checkout(CheckoutSessions.CheckoutRequest body) {
    CheckoutSessions.CheckoutCreated created =
        checkoutSessions.create(
            body, caller.isSignedIn() ? caller.memberId() : null, clientAddress.of(request));
    return Response.status(201).entity(created).build();
  }
}
