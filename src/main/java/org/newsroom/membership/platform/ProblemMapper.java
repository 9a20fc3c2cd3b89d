package org.newsroom.membership.platform;

import jakarta.inject.Inject;
import jakarta.json.JsonException;
import jakarta.json.bind.JsonbException;
import jakarta.validation.ConstraintViolation;
import jakarta.validation.ConstraintViolationException;
import jakarta.validation.Path;
import jakarta.ws.rs.NotAllowedException;
import jakarta.ws.rs.NotFoundException;
import jakarta.ws.rs.NotSupportedException;
import jakarta.ws.rs.ProcessingException;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.ext.ExceptionMapper;
import jakarta.ws.rs.ext.Provider;
import java.util.Comparator;
import java.util.List;

/** Maps every exception that leaves a resource to an RFC 9457 problem. */
@Provider
public class ProblemMapper implements ExceptionMapper<Throwable> {

  @Inject Problems problems;

  @Override
  public Response toResponse(Throwable thrown) {
    // Jersey wraps what a body reader or interceptor throws; the cause is what matters.
    ProblemException problem = find(thrown, ProblemException.class);
    ConstraintViolationException invalid = find(thrown, ConstraintViolationException.class);
    if (problem != null) {
      thrown = problem;
    } else if (invalid != null) {
      thrown = invalid;
    }
    if (thrown instanceof ProblemException e) {
      Response.ResponseBuilder response = respond(problems.of(e));
      if (e.retryAfterSeconds() != null) {
        response.header(HttpHeaders.RETRY_AFTER, e.retryAfterSeconds());
      }
      return response.build();
    }
    if (thrown instanceof ConstraintViolationException e) {
      return respond(validation(problems, e)).build();
    }
    if (isMalformedBody(thrown)) {
      return respond(
              problems.of(
                  ProblemType.MALFORMED_BODY,
                  "The body is not valid JSON for this request, or has a value of the wrong type."))
          .build();
    }
    if (thrown instanceof WebApplicationException e && e.getResponse().getStatus() < 500) {
      return fromStatus(e);
    }
    if (isDatabaseUnavailable(thrown)) {
      // An outage is not our bug and not the client's: say so, so callers retry (and a sign-in
      // that could not be checked is never reported, or counted, as a wrong password).
      return respond(
              problems.of(
                  ProblemType.DATABASE_UNAVAILABLE,
                  "The service is unavailable for a moment; try again shortly."))
          .build();
    }
    return respond(problems.unexpected(thrown)).build();
  }

  private Response fromStatus(WebApplicationException e) {
    int status = e.getResponse().getStatus();
    Problem problem;
    if (e instanceof NotFoundException) {
      problem = problems.of(ProblemType.NOT_FOUND, "There is nothing at this path.");
    } else if (e instanceof NotAllowedException) {
      problem = problems.of(ProblemType.METHOD_NOT_ALLOWED, "This path does not take that method.");
    } else if (e instanceof NotSupportedException) {
      problem =
          problems.of(ProblemType.UNSUPPORTED_MEDIA_TYPE, "Send the body as application/json.");
    } else {
      String reason = e.getResponse().getStatusInfo().getReasonPhrase();
      problem = problems.ofStatus(status, reason);
    }
    Response.ResponseBuilder response = respond(problem);
    if (e.getResponse().getHeaderString(HttpHeaders.ALLOW) != null) {
      response.header(HttpHeaders.ALLOW, e.getResponse().getHeaderString(HttpHeaders.ALLOW));
    }
    return response.build();
  }

  static Problem validation(Problems problems, ConstraintViolationException e) {
    List<ProblemException.FieldError> errors =
        e.getConstraintViolations().stream()
            .map(v -> new ProblemException.FieldError(fieldOf(v), v.getMessage()))
            .sorted(Comparator.comparing(ProblemException.FieldError::field))
            .toList();
    return problems.of(ProblemException.invalid(errors));
  }

  /** The last node of the path is the JSON field name (the rest names the Java method). */
  private static String fieldOf(ConstraintViolation<?> violation) {
    String field = "body";
    for (Path.Node node : violation.getPropertyPath()) {
      if (node.getKind() == jakarta.validation.ElementKind.PROPERTY) {
        field = node.getName();
      }
    }
    return field;
  }

  static <T extends Throwable> T find(Throwable thrown, Class<T> type) {
    for (Throwable t = thrown; t != null; t = t.getCause()) {
      if (type.isInstance(t)) {
        return type.cast(t);
      }
    }
    return null;
  }

  private static boolean isMalformedBody(Throwable thrown) {
    for (Throwable t = thrown; t != null; t = t.getCause()) {
      if (t instanceof JsonbException
          || t instanceof JsonException
          || t instanceof ProcessingException
          || t instanceof jakarta.json.stream.JsonParsingException) {
        return true;
      }
      if (t instanceof jakarta.ws.rs.BadRequestException) {
        return true;
      }
    }
    return false;
  }

  /**
   * True when the database could not be reached: SQL state class 08 (connection exception), as the
   * PostgreSQL driver reports a refused or broken connection under the pool's own wrappers.
   */
  static boolean isDatabaseUnavailable(Throwable thrown) {
    for (Throwable t = thrown; t != null; t = t.getCause()) {
      if (t instanceof java.sql.SQLTransientConnectionException
          || t instanceof java.sql.SQLNonTransientConnectionException) {
        return true;
      }
      if (t instanceof java.sql.SQLException e
          && e.getSQLState() != null
          && e.getSQLState().startsWith("08")) {
        return true;
      }
    }
    return false;
  }

  static Response.ResponseBuilder respond(Problem problem) {
    return Response.status(problem.status()).type(Problem.MEDIA_TYPE).entity(problem);
  }
}
