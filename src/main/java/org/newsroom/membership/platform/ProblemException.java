package org.newsroom.membership.platform;

import java.util.List;

/**
 * An error that a client caused or must know about, with the RFC 9457 fields it is answered with.
 * Every feature throws this (or a subclass) and {@link ProblemMapper} turns it into the response.
 */
public class ProblemException extends RuntimeException {

  private final int status;
  private final String slug;
  private final String title;
  private final List<FieldError> errors;
  private final Integer retryAfterSeconds;

  public ProblemException(int status, String slug, String title, String detail) {
    this(status, slug, title, detail, null, null);
  }

  public ProblemException(
      int status,
      String slug,
      String title,
      String detail,
      List<FieldError> errors,
      Integer retryAfterSeconds) {
    super(detail);
    this.status = status;
    this.slug = slug;
    this.title = title;
    this.errors = errors;
    this.retryAfterSeconds = retryAfterSeconds;
  }

  public static ProblemException validation(String field, String message) {
    return new ProblemException(
        400,
        "validation",
        "The request is not valid",
        field + ": " + message,
        List.of(new FieldError(field, message)),
        null);
  }

  public static ProblemException badRequest(String slug, String detail) {
    return new ProblemException(400, slug, "Bad request", detail);
  }

  public static ProblemException unauthorized() {
    return new ProblemException(
        401, "unauthorized", "Sign-in required", "This needs a signed-in member.");
  }

  public static ProblemException forbidden(String slug, String detail) {
    return new ProblemException(403, slug, "Forbidden", detail);
  }

  public static ProblemException notFound(String detail) {
    return new ProblemException(404, "not-found", "Not found", detail);
  }

  public static ProblemException tooManyRequests(long retryAfterSeconds) {
    return new ProblemException(
        429,
        "too-many-requests",
        "Too many requests",
        "Too many attempts; try again later.",
        null,
        (int) Math.max(1, retryAfterSeconds));
  }

  public static ProblemException unavailable(String slug, String detail) {
    return new ProblemException(503, slug, "Service unavailable", detail);
  }

  public int status() {
    return status;
  }

  public String slug() {
    return slug;
  }

  public String title() {
    return title;
  }

  public List<FieldError> errors() {
    return errors;
  }

  public Integer retryAfterSeconds() {
    return retryAfterSeconds;
  }

  public record FieldError(String field, String message) {}
}
