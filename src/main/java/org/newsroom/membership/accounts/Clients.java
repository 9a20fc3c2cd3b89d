package org.newsroom.membership.accounts;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.ws.rs.core.Response;
import org.newsroom.membership.platform.ClientAddress;

/** What the accounts endpoints learn about the client from its request, and tell it back. */
@ApplicationScoped
public class Clients {

  @Inject ClientAddress clientAddress;
  @Inject SessionCookies cookies;

  public Accounts.Client of(HttpServletRequest request) {
    return new Accounts.Client(
        clientAddress.of(request), cookies.deviceFrom(request), request.getHeader("User-Agent"));
  }

  /** The session cookie, and the device cookie when this browser was not yet trusted. */
  public Response.ResponseBuilder signedIn(
      Response.ResponseBuilder response, Accounts.SignedIn signedIn) {
    response.header("Set-Cookie", cookies.issue(signedIn.token()));
    if (signedIn.deviceCookie() != null) {
      response.header("Set-Cookie", cookies.issueDevice(signedIn.deviceCookie()));
    }
    return response;
  }
}
