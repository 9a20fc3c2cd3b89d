package org.newsroom.membership.platform;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.json.bind.Jsonb;
import jakarta.json.bind.JsonbBuilder;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
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
    ProblemType type = e.type();
    return new Problem(
        typeOf(type.slug()), type.title(), type.status(), e.getMessage(), e.errors(), null);
  }

  public Problem of(ProblemType type, String detail) {
    return new Problem(typeOf(type.slug()), type.title(), type.status(), detail, null, null);
  }

  /** An HTTP error outside the catalogue (406, 408, ...), typed {@code http-<status>}. */
  public Problem ofStatus(int status, String detail) {
    return new Problem(typeOf("http-" + status), "HTTP " + status, status, detail, null, null);
  }

  /**
   * An unexpected failure: the client sees a correlation id and nothing of the cause, the log has
   * both so the two can be matched.
   */
  public Problem unexpected(Throwable cause) {
    String correlationId = UUID.randomUUID().toString();
    LOG.log(Level.SEVERE, "Unexpected failure, correlation id " + correlationId, cause);
    ProblemType type = ProblemType.INTERNAL_ERROR;
    return new Problem(
        typeOf(type.slug()),
        type.title(),
        type.status(),
        "Something went wrong on our side. Quote the correlation id if you contact us.",
        null,
        correlationId);
  }

  public String json(Problem problem) {
    return JSON.toJson(problem);
  }

  /** For servlets and servlet filters, which answer outside JAX-RS and its mapper. */
  public void write(Problem problem, HttpServletResponse response) throws IOException {
    response.setStatus(problem.status());
    response.setContentType(Problem.MEDIA_TYPE);
    response.setCharacterEncoding("UTF-8");
    response.getWriter().write(json(problem));
  }

  private String typeOf(String slug) {
    return publicBaseUrl + "/problems/" + slug;
  }
}
