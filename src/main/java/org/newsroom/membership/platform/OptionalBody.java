package org.newsroom.membership.platform;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * On a resource method's body parameter: the request may come without a body (or with an empty
 * one), and the parameter is then null. Every other body is required ({@link ValidatedBodies}).
 */
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.PARAMETER)
public @interface OptionalBody {}
