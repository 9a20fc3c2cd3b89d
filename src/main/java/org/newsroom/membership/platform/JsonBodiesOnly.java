package org.newsroom.membership.platform;

import jakarta.annotation.Priority;
import jakarta.ws.rs.Priorities;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerRequestFilter;
import jakarta.ws.rs.container.PreMatching;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.ext.Provider;

/**
 * 415 for a state-changing request whose body is not JSON (API.md Conventions). Requests without a
 * body, like most DELETEs, pass; so does Stripe's webhook, which is checked by its signature.
 */
@Provider
@PreMatching
@Priority(Priorities.AUTHENTICATION - 200)
public class JsonBodiesOnly implements ContainerRequestFilter {

  @Override
  public void filter(ContainerRequestContext request) {
    if (!CrossOriginScope.changesState(request.getMethod()) || BodyLimit.isWebhook(request)) {
      return;
    }
    boolean hasBody =
        request.getLength() > 0 || request.getHeaderString("Transfer-Encoding") != null;
    MediaType type = request.getMediaType();
    if (hasBody && (type == null || !type.isCompatible(MediaType.APPLICATION_JSON_TYPE))) {
      throw new ProblemException(
          ProblemType.UNSUPPORTED_MEDIA_TYPE, "Send the body as application/json.");
    }
  }
}
