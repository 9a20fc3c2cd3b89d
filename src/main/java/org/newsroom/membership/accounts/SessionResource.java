package org.newsroom.membership.accounts;

import jakarta.inject.Inject;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

@Path("session")
@Consumes(MediaType.APPLICATION_JSON)
@Produces(MediaType.APPLICATION_JSON)
public class SessionResource {

  @Inject Accounts accounts;
  @Inject Caller caller;
  @Inject SessionCookies cookies;
  @Inject Clients clients;
  @Inject SupporterStatus supporterStatus;
  @Context HttpServletRequest request;

  /** Signs in with a password; always a new token, never the one presented before. */
  @POST
  public Response signIn(AccountRequests.SignIn body) {
    return signedIn(accounts.signIn(body, clients.of(request)));
  }

  @DELETE
  public Response signOut() {
    if (caller.isSignedIn()) {
      accounts.signOut(caller.tokenHash(), caller.memberId());
    }
    return Response.noContent().header("Set-Cookie", cookies.clear()).build();
  }

  /** 202 whether or not the address is known. */
  @POST
  @Path("links")
  public Response mailSignInLink(AccountRequests.EmailOnly body) {
    accounts.mailSignInLink(body.email(), clients.of(request));
    return Response.accepted().build();
  }

  @POST
  @Path("links/confirm")
  public Response signInWithLink(AccountRequests.TokenOnly body) {
    return signedIn(accounts.signInWithLink(body.token(), clients.of(request)));
  }

  private Response signedIn(Accounts.SignedIn signedIn) {
    return clients
        .signedIn(Response.ok(), signedIn)
        .entity(
            MemberView.of(signedIn.member(), supporterStatus.isSupporter(signedIn.member().id())))
        .build();
  }
}
