package org.newsroom.membership.donations;

import java.sql.Types;
import java.util.UUID;
import org.eclipse.persistence.config.DescriptorCustomizer;
import org.eclipse.persistence.descriptors.ClassDescriptor;
import org.eclipse.persistence.mappings.AggregateObjectMapping;
import org.eclipse.persistence.mappings.DatabaseMapping;

/**
 * Two of EclipseLink's ways with NULL that this schema cannot live with:
 *
 * <ul>
 *   <li>It binds a null {@link UUID} as a VARCHAR null, which PostgreSQL refuses for a UUID column
 *       ("is of type uuid but expression is of type character varying"). Declaring such fields as
 *       {@code Types.OTHER} makes the null typeless, which both PostgreSQL and H2 accept. An
 *       embeddable with UUID fields carries this customizer too.
 *   <li>It reads an embedded value whose columns are all NULL (a guest's gift before Stripe named
 *       the payer) as a null field. Entities here always hold their embedded values, so the intent
 *       methods need no null checks.
 * </ul>
 */
public class NullSafeMappings implements DescriptorCustomizer {

  @Override
  public void customize(ClassDescriptor descriptor) {
    for (DatabaseMapping mapping : descriptor.getMappings()) {
      if (mapping instanceof AggregateObjectMapping embedded) {
        embedded.setIsNullAllowed(false);
      } else if (mapping.getField() != null && isUuid(descriptor.getJavaClass(), mapping)) {
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
