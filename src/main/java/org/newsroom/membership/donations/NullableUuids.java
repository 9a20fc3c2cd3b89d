package org.newsroom.membership.donations;

import java.sql.Types;
import java.util.UUID;
import org.eclipse.persistence.config.DescriptorCustomizer;
import org.eclipse.persistence.descriptors.ClassDescriptor;
import org.eclipse.persistence.mappings.DatabaseMapping;

/**
 * EclipseLink binds a null {@link UUID} as a VARCHAR null, which PostgreSQL refuses for a UUID
 * column ("is of type uuid but expression is of type character varying"). Declaring such fields as
 * {@code Types.OTHER} makes the null typeless, which both PostgreSQL and H2 accept.
 */
public class NullableUuids implements DescriptorCustomizer {

  @Override
  public void customize(ClassDescriptor descriptor) {
    for (DatabaseMapping mapping : descriptor.getMappings()) {
      if (mapping.getField() != null && isUuid(descriptor.getJavaClass(), mapping)) {
        mapping.getField().setSqlType(Types.OTHER);
      }
    }
  }

  private static boolean isUuid(Class<?> type, DatabaseMapping mapping) {
    try {
      return type.getDeclaredField(mapping.getAttributeName()).getType() == UUID.class;
    } catch (NoSuchFieldException e) {
      return false;
    }
  }
}
