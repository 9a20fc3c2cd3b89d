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

@Path("email-verifications")
@Consumes(MediaType.APPLICATION_JSON)
@Produces(MediaType.APPLICATION_JSON)
public class EmailVerificationsResource {

  @Inject Accounts accounts;
  @Inject Caller caller;
  @Inject ClientAddress clientAddress;
  @Inject Clients clients;
  @Context HttpServletRequest request;

  @POST
  public Response mailVerification() {
    accounts.mailVerification(caller.memberId(), clients.of(request));
    return Response.accepted().build();
  }

  /** From a client signed in as the member, or with the account's password. */
  @POST
  @Path("confirm")
  public Response confirm(AccountRequests.VerificationConfirmation body) {
    accounts.confirmVerification(body, caller, clientAddress.of(request));
    return Response.noContent().build();
  }

  /** "I did not create this account": erases the unverified account registered with the address. */
  @POST
  @Path("decline")
  public Response decline(AccountRequests.TokenOnly body) {
    accounts.declineVerification(body.token(), clientAddress.of(request));
    return Response.noContent().build();
  }
}
