package org.newsroom.membership.platform;

import java.util.List;

/** The RFC 9457 body. {@code errors} is only present for validation failures. */
public record Problem(
    String type,
    String title,
    int status,
    String detail,
    List<ProblemException.FieldError> errors,
    String correlationId) {

  public static final String MEDIA_TYPE = "application/problem+json";
}
