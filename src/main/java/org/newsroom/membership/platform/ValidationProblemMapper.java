package org.newsroom.membership.platform;

import jakarta.inject.Inject;
import jakarta.validation.ConstraintViolationException;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.ext.ExceptionMapper;
import jakarta.ws.rs.ext.Provider;

/**
 * Exists only because Jersey brings its own mapper for validation exceptions, which is more
 * specific than {@link ProblemMapper}'s; this one is more specific still.
 */
@Provider
public class ValidationProblemMapper implements ExceptionMapper<ConstraintViolationException> {

  @Inject Problems problems;

  @Override
  public Response toResponse(ConstraintViolationException e) {
    return ProblemMapper.respond(ProblemMapper.validation(problems, e)).build();
  }
}
