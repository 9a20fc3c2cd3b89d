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
import org.newsroom.membership.platform.ClientAddress;

@Path("accounts")
@Consumes(MediaType.APPLICATION_JSON)
@Produces(MediaType.APPLICATION_JSON)
public class AccountsResource {

  @Inject Accounts accounts;
  @Inject SessionCookies cookies;
  @Inject ClientAddress clientAddress;
  @Context HttpServletRequest request;

  /** Registers and signs in at once; a verification mail is queued. */
  @POST
  public Response register(AccountRequests.Register body) {
    Accounts.SignedIn signedIn =
        accounts.register(body, request.getHeader("User-Agent"), clientAddress.of(request));
    return Response.created(URI.create("/api/me"))
        .header("Set-Cookie", cookies.issue(signedIn.token()))
        .entity(MemberView.of(signedIn.member(), false))
        .build();
  }
}
