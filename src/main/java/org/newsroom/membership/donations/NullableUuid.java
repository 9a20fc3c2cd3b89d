package org.newsroom.membership.donations;

import jakarta.persistence.AttributeConverter;
import jakarta.persistence.Converter;
import java.util.UUID;

/**
 * For UUID columns that may be NULL: EclipseLink 4.0.7's built-in UUID converter throws a
 * NullPointerException when it reads a NULL, so these columns convert through this null-safe one.
 */
@Converter
public class NullableUuid implements AttributeConverter<UUID, Object> {

  @Override
  public Object convertToDatabaseColumn(UUID value) {
    return value;
  }

  @Override
  public UUID convertToEntityAttribute(Object value) {
    if (value == null) {
      return null;
    }
    return value instanceof UUID uuid ? uuid : UUID.fromString(value.toString());
  }
}
