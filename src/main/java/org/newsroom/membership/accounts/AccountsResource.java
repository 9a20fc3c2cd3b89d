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
import java.net.URI;

@Path("accounts")
@Consumes(MediaType.APPLICATION_JSON)
@Produces(MediaType.APPLICATION_JSON)
public class AccountsResource {

  @Inject Accounts accounts;
  @Inject Clients clients;
  @Context HttpServletRequest request;

  /** Registers and signs in at once; a verification mail is queued. */
  @POST
  public Response register(AccountRequests.Register body) {
    Accounts.SignedIn signedIn = accounts.register(body, clients.of(request));
    return clients
        .signedIn(Response.created(URI.create("/api/me")), signedIn)
        .entity(MemberView.of(signedIn.member(), false))
        .build();
  }
}
