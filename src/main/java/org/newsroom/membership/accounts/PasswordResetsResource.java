package org.newsroom.membership.accounts;

import jakarta.inject.Inject;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.newsroom.membership.platform.ClientAddress;

@Path("password-resets")
@Consumes(MediaType.APPLICATION_JSON)
@Produces(MediaType.APPLICATION_JSON)
public class PasswordResetsResource {

  @Inject Accounts accounts;
  @Inject Clients clients;
  @Inject ClientAddress clientAddress;
  @Context HttpServletRequest request;

  /** 202 whether or not the address is known. */
  @POST
  public Response mailReset(AccountRequests.EmailOnly body) {
    accounts.mailPasswordReset(body.email(), clients.of(request));
    return Response.accepted().build();
  }

  /** Sets the new password and signs out every session of the member. */
  @POST
  @Path("confirm")
  public Response reset(AccountRequests.PasswordReset body) {
    accounts.resetPassword(body, clientAddress.of(request));
    return Response.noContent().build();
  }
}
