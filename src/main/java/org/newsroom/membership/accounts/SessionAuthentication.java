package org.newsroom.membership.accounts;

import jakarta.annotation.Priority;
import jakarta.inject.Inject;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.ws.rs.Priorities;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerRequestFilter;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.ext.Provider;
import org.newsroom.membership.platform.ProblemException;
import org.newsroom.membership.platform.ProblemType;

/** Resolves the session cookie or Bearer token of an API request into the {@link Caller}. */
@Provider
@Priority(Priorities.AUTHENTICATION)
public class SessionAuthentication implements ContainerRequestFilter {

  @Inject SessionCookies cookies;
  @Inject Sessions sessions;
  @Inject Caller caller;
  @Context HttpServletRequest request;

  @Override
  public void filter(ContainerRequestContext context) {
    String token = cookies.tokenFrom(request);
    if (token == null) {
      return;
    }
    SessionLookup session = sessions.find(token);
    if (session.outcome() == SessionLookup.Outcome.UNAVAILABLE) {
      throw new ProblemException(
          ProblemType.DATABASE_UNAVAILABLE,
          "Accounts are unavailable for a moment; try again shortly.");
    }
    if (session.active()) {
      caller.signedIn(session);
    }
  }
}
