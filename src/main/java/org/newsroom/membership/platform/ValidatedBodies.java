package org.newsroom.membership.platform;

import jakarta.inject.Inject;
import jakarta.validation.ConstraintViolation;
import jakarta.validation.ConstraintViolationException;
import jakarta.validation.Validator;
import jakarta.ws.rs.ext.Provider;
import jakarta.ws.rs.ext.ReaderInterceptor;
import jakarta.ws.rs.ext.ReaderInterceptorContext;
import java.io.IOException;
import java.util.Set;

/**
 * Every JSON body is required and validated against the Bean Validation constraints of its record
 * as it is read. Doing it here, instead of {@code @Valid} on each resource parameter, keeps the
 * rule in one place and sidesteps Payara's OpenAPI generator, which fails on constrained body
 * parameters (payara/Payara#7649).
 */
@Provider
public class ValidatedBodies implements ReaderInterceptor {

  @Inject Validator validator;

  @Override
  public Object aroundReadFrom(ReaderInterceptorContext context) throws IOException {
    Object body = context.proceed();
    if (body == null) {
      throw ProblemException.badRequest("missing-body", "This request needs a JSON body.");
    }
    if (body.getClass().isRecord()) {
      Set<ConstraintViolation<Object>> violations = validator.validate(body);
      if (!violations.isEmpty()) {
        throw new ConstraintViolationException(violations);
      }
    }
    return body;
  }
}
