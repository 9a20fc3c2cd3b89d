package org.newsroom.membership.platform;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.json.bind.Jsonb;
import jakarta.json.bind.JsonbBuilder;
import java.util.UUID;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * The one place that turns errors into RFC 9457 bodies, for JAX-RS resources and plain servlets
 * alike, so that every path answers errors the same way.
 */
@ApplicationScoped
public class Problems {

  private static final Logger LOG = Logger.getLogger(Problems.class.getName());
  private static final Jsonb JSON = JsonbBuilder.create();

  @Inject
  @ConfigProperty(name = "public.base-url")
  String publicBaseUrl;

  public Problem of(ProblemException e) {
    return new Problem(typeOf(e.slug()), e.title(), e.status(), e.getMessage(), e.errors(), null);
  }

  public Problem of(int status, String slug, String title, String detail) {
    return new Problem(typeOf(slug), title, status, detail, null, null);
  }

  /**
   * An unexpected failure: the client sees a correlation id and nothing of the cause, the log has
   * both so the two can be matched.
   */
  public Problem unexpected(Throwable cause) {
    String correlationId = UUID.randomUUID().toString();
    LOG.log(Level.SEVERE, "Unexpected failure, correlation id " + correlationId, cause);
    return new Problem(
        typeOf("internal-error"),
        "Internal error",
        500,
        "Something went wrong on our side. Quote the correlation id if you contact us.",
        null,
        correlationId);
  }

  public String json(Problem problem) {
    return JSON.toJson(problem);
  }

  private String typeOf(String slug) {
    return publicBaseUrl + "/problems/" + slug;
  }
}
