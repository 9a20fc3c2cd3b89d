package org.newsroom.membership.platform;

import org.eclipse.persistence.config.SessionCustomizer;
import org.eclipse.persistence.sessions.DatabaseLogin;
import org.eclipse.persistence.sessions.Session;

/**
 * How EclipseLink retries a query whose connection failed: once, at once. Its default is three
 * retries with 5 s of sleep before each after the first, so while the database was down every
 * request that touched it slept about 10 s on its HTTP thread (a thread dump of a sign-in showed it
 * in {@code AbstractSession.retryQuery}, {@code Thread.sleep}) before it was answered 503 {@code
 * database-unavailable}; an outage should be answered at once, as the entitlement check's circuit
 * breaker does. The pool already validates connections and drops them all on a failure ({@link
 * Migrations}), and the one immediate retry still gives a query a fresh connection when the
 * database closed an idle one.
 */
public class QueryRetries implements SessionCustomizer {

  @Override
  public void customize(Session session) {
    DatabaseLogin login = session.getLogin();
    login.setQueryRetryAttemptCount(1);
    login.setDelayBetweenConnectionAttempts(0);
  }
}
