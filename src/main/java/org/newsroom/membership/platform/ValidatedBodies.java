package org.newsroom.membership.platform;

import jakarta.inject.Inject;
import jakarta.json.Json;
import jakarta.json.JsonException;
import jakarta.json.JsonNumber;
import jakarta.json.JsonObject;
import jakarta.json.JsonReader;
import jakarta.json.JsonValue;
import jakarta.validation.ConstraintViolation;
import jakarta.validation.ConstraintViolationException;
import jakarta.validation.Validator;
import jakarta.ws.rs.ext.Provider;
import jakarta.ws.rs.ext.ReaderInterceptor;
import jakarta.ws.rs.ext.ReaderInterceptorContext;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.lang.annotation.Annotation;
import java.lang.reflect.RecordComponent;
import java.util.Arrays;
import java.util.List;
import java.util.Set;

/**
 * Every JSON body is required (unless its parameter is {@link OptionalBody}) and validated against
 * the Bean Validation constraints of its record as it is read; {@link JsonInteger} fields are
 * checked on the raw JSON first, because binding would already have coerced them. Doing it here,
 * instead of {@code @Valid} on each resource parameter, keeps the rule in one place and sidesteps
 * Payara's OpenAPI generator, which fails on constrained body parameters (payara/Payara#7649).
 */
@Provider
public class ValidatedBodies implements ReaderInterceptor {

  @Inject Validator validator;

  @Override
  public Object aroundReadFrom(ReaderInterceptorContext context) throws IOException {
    boolean optional = has(context.getAnnotations(), OptionalBody.class);
    List<String> integers = integerFields(context.getType());
    if (optional || !integers.isEmpty()) {
      // The body is at most the configured limit (BodyLimit), so reading it twice is cheap.
      byte[] raw = context.getInputStream().readAllBytes();
      if (optional && new String(raw, java.nio.charset.StandardCharsets.UTF_8).isBlank()) {
        return null;
      }
      requireIntegers(raw, integers);
      context.setInputStream(new ByteArrayInputStream(raw));
    }
    Object body = context.proceed();
    if (body == null) {
      if (optional) {
        return null;
      }
      throw new ProblemException(ProblemType.MISSING_BODY, "This request needs a JSON body.");
    }
    if (body.getClass().isRecord()) {
      Set<ConstraintViolation<Object>> violations = validator.validate(body);
      if (!violations.isEmpty()) {
        throw new ConstraintViolationException(violations);
      }
    }
    return body;
  }

  private static void requireIntegers(byte[] raw, List<String> fields) {
    if (fields.isEmpty()) {
      return;
    }
    JsonValue parsed;
    try (JsonReader reader = Json.createReader(new ByteArrayInputStream(raw))) {
      parsed = reader.readValue();
    } catch (JsonException | IllegalStateException malformed) {
      return; // binding reports it as a malformed body
    }
    if (!(parsed instanceof JsonObject object)) {
      return;
    }
    for (String field : fields) {
      if (object.containsKey(field) && !isLong(object.get(field))) {
        throw ProblemException.validation(
            field, "must be a whole number of the currency's minor unit, such as 500");
      }
    }
  }

  private static boolean isLong(JsonValue value) {
    if (!(value instanceof JsonNumber number) || !number.isIntegral()) {
      return false;
    }
    try {
      number.longValueExact();
      return true;
    } catch (ArithmeticException tooLarge) {
      return false;
    }
  }

  private static List<String> integerFields(Class<?> type) {
    if (!type.isRecord()) {
      return List.of();
    }
    return Arrays.stream(type.getRecordComponents())
        .filter(c -> c.isAnnotationPresent(JsonInteger.class))
        .map(RecordComponent::getName)
        .toList();
  }

  private static boolean has(Annotation[] annotations, Class<? extends Annotation> type) {
    return annotations != null && Arrays.stream(annotations).anyMatch(type::isInstance);
  }
}
