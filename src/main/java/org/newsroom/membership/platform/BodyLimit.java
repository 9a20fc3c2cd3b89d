package org.newsroom.membership.platform;

import jakarta.annotation.Priority;
import jakarta.inject.Inject;
import jakarta.ws.rs.Priorities;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerRequestFilter;
import jakarta.ws.rs.container.PreMatching;
import jakarta.ws.rs.ext.Provider;
import java.io.IOException;
import java.io.InputStream;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * 413 for a body over the limit, checked before anything reads it: by its length when it names one,
 * while it is read when it is chunked. The Stripe webhook has a limit of its own.
 */
@Provider
@PreMatching
@Priority(Priorities.AUTHENTICATION - 300)
public class BodyLimit implements ContainerRequestFilter {

  /** Stripe signs the raw bytes it sends, in its own content type; it is checked by signature. */
  static final String WEBHOOK_PATH = "stripe/webhook";

  @Inject
  @ConfigProperty(name = "http.max-body-bytes")
  long maxBodyBytes;

  @Inject
  @ConfigProperty(name = "stripe.webhook-max-bytes")
  long maxWebhookBytes;

  @Override
  public void filter(ContainerRequestContext request) {
    long limit = isWebhook(request) ? maxWebhookBytes : maxBodyBytes;
    if (request.getLength() > limit) {
      throw tooLarge(limit);
    }
    request.setEntityStream(new LimitedInputStream(request.getEntityStream(), limit));
  }

  static boolean isWebhook(ContainerRequestContext request) {
    return request.getUriInfo().getPath().endsWith(WEBHOOK_PATH);
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
