package org.newsroom.membership.platform;

import java.util.List;

/**
 * An error that a client caused or must know about: its {@link ProblemType} from the catalogue and
 * what went wrong with this request. Every feature throws this and {@link ProblemMapper} turns it
 * into the response.
 */
public class ProblemException extends RuntimeException {

  private final ProblemType type;
  private final List<FieldError> errors;
  private final Integer retryAfterSeconds;

  public ProblemException(ProblemType type, String detail) {
    this(type, detail, null, null);
  }

  public ProblemException(
      ProblemType type, String detail, List<FieldError> errors, Integer retryAfterSeconds) {
    super(detail);
    this.type = type;
    this.errors = errors;
    this.retryAfterSeconds = retryAfterSeconds;
  }

  public static ProblemException validation(String field, String message) {
    return invalid(List.of(new FieldError(field, message)));
  }

  /** One 400 that lists every bad field at once. */
  public static ProblemException invalid(List<FieldError> errors) {
    String detail =
        errors.stream()
            .map(error -> error.field() + ": " + error.message())
            .reduce((a, b) -> a + "; " + b)
            .orElse("The request is not valid.");
    return new ProblemException(ProblemType.VALIDATION, detail, List.copyOf(errors), null);
  }

  public static ProblemException unauthorized() {
    return new ProblemException(ProblemType.UNAUTHORIZED, "This needs a signed-in member.");
  }

  public static ProblemException notFound(String detail) {
    return new ProblemException(ProblemType.NOT_FOUND, detail);
  }

  public static ProblemException tooManyRequests(long retryAfterSeconds) {
    return new ProblemException(
        ProblemType.TOO_MANY_REQUESTS,
        "Too many attempts; try again later.",
        null,
        (int) Math.max(1, retryAfterSeconds));
  }

  public ProblemType type() {
    return type;
  }

  public int status() {
    return type.status();
  }

  public List<FieldError> errors() {
    return errors;
  }

  public Integer retryAfterSeconds() {
    return retryAfterSeconds;
  }

  public record FieldError(String field, String message) {}
}
