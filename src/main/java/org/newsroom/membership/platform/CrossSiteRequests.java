package org.newsroom.membership.platform;

import jakarta.annotation.Priority;
import jakarta.inject.Inject;
import jakarta.ws.rs.Priorities;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerRequestFilter;
import jakarta.ws.rs.container.PreMatching;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.ext.Provider;

/**
 * The CSRF defence and the cross-origin scope for a state-changing request that carries cookies:
 * the service's own pages may do anything, an article page only what {@link CrossOriginScope}
 * lists, and a request that names no allowed origin at all nothing. A request without cookies (a
 * bearer token, Stripe's webhook) carries no ambient authority and is not checked.
 */
@Provider
@PreMatching
@Priority(Priorities.AUTHENTICATION - 100)
public class CrossSiteRequests implements ContainerRequestFilter {

  @Inject AllowedOrigins allowedOrigins;

  @Override
  public void filter(ContainerRequestContext request) {
    if (!CrossOriginScope.changesState(request.getMethod())
        || request.getHeaderString(HttpHeaders.COOKIE) == null) {
      return;
    }
    String origin = request.getHeaderString("Origin");
    if (origin == null) {
      origin = AllowedOrigins.originOfUrl(request.getHeaderString("Referer"));
    }
    if (allowedOrigins.isOwn(origin)) {
      return;
    }
    String path = request.getUriInfo().getRequestUri().getPath();
    if (!CrossOriginScope.allows(request.getMethod(), path)) {
      if (origin != null) {
        throw new ProblemException(
            ProblemType.CROSS_ORIGIN_FORBIDDEN,
            "This can only be done from the service's own pages, not from another site.");
      }
    } else if (allowedOrigins.allows(origin)) {
      return;
    }
    throw new ProblemException(
        ProblemType.CROSS_SITE_REQUEST,
        "A request that carries cookies must come from an allowed Origin.");
  }
}
