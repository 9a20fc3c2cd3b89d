package org.newsroom.membership.accounts;

import static java.lang.annotation.ElementType.METHOD;
import static java.lang.annotation.ElementType.TYPE;
import static java.lang.annotation.RetentionPolicy.RUNTIME;

import jakarta.ws.rs.NameBinding;
import java.lang.annotation.Retention;
import java.lang.annotation.Target;

/**
 * Puts a resource class or method behind {@link StaffGate}: only members holding one of {@link
 * #value} get in; everyone else gets 401 or 403 before any parameter or body is read, and the
 * refusal is logged and audited under {@link #area}. A method's annotation replaces its class's.
 * The admitted member is {@link StaffAccess#admitted()}.
 */
@NameBinding
@Retention(RUNTIME)
@Target({TYPE, METHOD})
public @interface StaffOnly {

  /** What a refusal is logged and audited as: {@code transactions}, {@code stripe-sync}, ... */
  String area();

  Role[] value();
}
