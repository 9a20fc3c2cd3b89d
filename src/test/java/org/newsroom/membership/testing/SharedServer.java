package org.newsroom.membership.testing;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Runs a test class against the one {@link TestServer} every integration test of a run shares
 * ({@link SharedServerExtension}). The class asks for the server, and for the fixtures built on it
 * ({@link StripeFixtures}, {@link Mailbox}), as parameters: of its constructor for instance fields,
 * of a {@code @BeforeAll} method for static ones.
 *
 * <pre>
 * &#64;SharedServer
 * class StripeWebhookIT {
 *
 *   private final TestServer server;
 *   private final StripeFixtures stripe;
 *
 *   StripeWebhookIT(TestServer server, StripeFixtures stripe) {
 *     this.server = server;
 *     this.stripe = stripe;
 *   }
 * </pre>
 *
 * A test that kills or restarts its server must not share it: it starts its own ({@link
 * TestServer#startOwn}).
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@Documented
@ExtendWith(SharedServerExtension.class)
public @interface SharedServer {}
