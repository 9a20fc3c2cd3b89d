package org.newsroom.membership.platform;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.context.Initialized;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.sql.Connection;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import org.eclipse.microprofile.metrics.MetricRegistry;
import org.eclipse.microprofile.metrics.Tag;

/**
 * Counts SQL statements prepared on request threads and on background threads, published as the
 * {@code sql_statements} metric. The request-thread count is how we know, and test, that the
 * article-page check does no database work in steady state.
 */
@ApplicationScoped
public class SqlStatementCounter {

  private static final Set<String> STATEMENT_METHODS =
      Set.of("prepareStatement", "prepareCall", "createStatement");

  /** Payara's HTTP worker threads; everything else (timers, executors) is background work. */
  private static final String REQUEST_THREAD_PREFIX = "http-thread-pool";

  private static final AtomicLong ON_REQUEST_THREADS = new AtomicLong();
  private static final AtomicLong ON_BACKGROUND_THREADS = new AtomicLong();

  @Inject MetricRegistry metrics;

  void register(@Observes @Initialized(ApplicationScoped.class) Object started) {
    metrics.gauge(
        "sql.statements", ON_REQUEST_THREADS, AtomicLong::get, new Tag("thread", "request"));
    metrics.gauge(
        "sql.statements", ON_BACKGROUND_THREADS, AtomicLong::get, new Tag("thread", "background"));
  }

  static Connection counting(Connection connection) {
    InvocationHandler handler =
        (proxy, method, args) -> {
          if (STATEMENT_METHODS.contains(method.getName())) {
            boolean request = Thread.currentThread().getName().startsWith(REQUEST_THREAD_PREFIX);
            (request ? ON_REQUEST_THREADS : ON_BACKGROUND_THREADS).incrementAndGet();
          }
          try {
            return method.invoke(connection, args);
          } catch (InvocationTargetException e) {
            throw e.getCause();
          }
        };
    return (Connection)
        Proxy.newProxyInstance(
            SqlStatementCounter.class.getClassLoader(), new Class<?>[] {Connection.class}, handler);
  }
}
