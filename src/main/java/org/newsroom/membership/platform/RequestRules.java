package org.newsroom.membership.platform;

import jakarta.annotation.Priority;
import jakarta.inject.Inject;
import jakarta.ws.rs.Priorities;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerRequestFilter;
import jakarta.ws.rs.container.PreMatching;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.ext.Provider;
import java.io.IOException;
import java.io.InputStream;
import java.util.Set;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * The rules every API request meets before it reaches a resource: the body size limit (checked
 * before anything reads the body), JSON as the only body type, and the CSRF origin check for
 * requests that carry cookies.
 */
@Provider
@PreMatching
@Priority(Priorities.AUTHENTICATION - 100)
public class RequestRules implements ContainerRequestFilter {

  private static final Set<String> SAFE_METHODS = Set.of("GET", "HEAD", "OPTIONS");

  /** Stripe signs the raw bytes it sends, in its own content type; it is checked by signature. */
  private static final String WEBHOOK_PATH = "stripe/webhook";

  @Inject AllowedOrigins allowedOrigins;

  @Inject
  @ConfigProperty(name = "http.max-body-bytes")
  long maxBodyBytes;

  @Inject
  @ConfigProperty(name = "stripe.webhook-max-bytes")
  long maxWebhookBytes;

  @Override
  public void filter(ContainerRequestContext request) throws IOException {
    boolean webhook = request.getUriInfo().getPath().endsWith(WEBHOOK_PATH);
    limitBody(request, webhook ? maxWebhookBytes : maxBodyBytes);
    if (SAFE_METHODS.contains(request.getMethod())) {
      return;
    }
    if (!webhook && hasBody(request) && !isJson(request.getMediaType())) {
      throw new ProblemException(
          ProblemType.UNSUPPORTED_MEDIA_TYPE, "Send the body as application/json.");
    }
    if (request.getHeaderString(HttpHeaders.COOKIE) != null) {
      checkOrigin(request);
    }
  }

  /**
   * The CSRF defence and the cross-origin scope for a state-changing request that carries cookies:
   * the service's own pages may do anything, an article page only what {@link CrossOriginScope}
   * lists, and a request that names no allowed origin at all nothing.
   */
  private void checkOrigin(ContainerRequestContext request) {
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

  private void limitBody(ContainerRequestContext request, long limit) {
    if (request.getLength() > limit) {
      throw tooLarge(limit);
    }
    // Chunked bodies carry no length: count while reading instead.
    request.setEntityStream(new LimitedInputStream(request.getEntityStream(), limit));
  }

  private static boolean hasBody(ContainerRequestContext request) {
    return request.getLength() > 0 || request.getHeaderString("Transfer-Encoding") != null;
  }

  private static boolean isJson(MediaType type) {
    return type != null && type.isCompatible(MediaType.APPLICATION_JSON_TYPE);
  }

  static ProblemException tooLarge(long limit) {
    return new ProblemException(
        ProblemType.PAYLOAD_TOO_LARGE, "The body is over " + limit + " bytes.");
  }

  private static final class LimitedInputStream extends java.io.FilterInputStream {
    private final long limit;
    private long count;

    LimitedInputStream(InputStream in, long limit) {
      super(in);
      this.limit = limit;
    }

    @Override
    public int read() throws IOException {
      int b = super.read();
      if (b >= 0) {
        count(1);
      }
      return b;
    }

    @Override
    public int read(byte[] buffer, int offset, int length) throws IOException {
      int n = super.read(buffer, offset, length);
      if (n > 0) {
        count(n);
      }
      return n;
    }

    private void count(int n) {
      count += n;
      if (count > limit) {
        throw tooLarge(limit);
      }
    }
  }
}
