package org.newsroom.membership.platform;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * The body field must be a JSON integer literal when it is present: {@code 500.5}, {@code 5e2},
 * {@code "500"}, {@code true} and {@code null} are rejected as a validation problem for the field,
 * never rounded or coerced (JSON-B would truncate {@code 500.5} to 500). Checked by {@link
 * ValidatedBodies} on the raw JSON, before binding. Whether the field may be absent is a separate
 * rule ({@code @NotNull}).
 */
@Retention(RetentionPolicy.RUNTIME)
@Target({ElementType.RECORD_COMPONENT, ElementType.FIELD})
public @interface JsonInteger {}
