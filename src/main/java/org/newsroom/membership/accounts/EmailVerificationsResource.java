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
  @Context HttpServletRequest request;

  @POST
  public Response mailVerification() {
    accounts.mailVerification(caller.memberId(), clientAddress.of(request));
    return Response.accepted().build();
  }

  @POST
  @Path("confirm")
  public Response confirm(AccountRequests.TokenOnly body) {
    accounts.confirmVerification(body.token());
    return Response.noContent().build();
  }
}
