package org.newsroom.membership.testing;

import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;

/**
 * The JUnit side of {@link SharedServer}: starts the shared {@link TestServer} when a test first
 * asks for it, and keeps it in the store of the run's root context, which JUnit closes when the
 * whole run ends; closing stops the server and drops its schema. A Payara start costs 15-30 s here,
 * so one server per class (as Arquillian's managed Payara Micro container does it) would make the
 * suite too slow to run often.
 *
 * <p>A start that failed is kept as well: every later class fails at once with the same cause,
 * instead of each trying (and waiting for) a start of its own.
 */
public final class SharedServerExtension implements ParameterResolver {

  private static final ExtensionContext.Namespace NAMESPACE =
      ExtensionContext.Namespace.create(SharedServerExtension.class);

  @Override
  public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
    Class<?> type = parameter.getParameter().getType();
    return type == TestServer.class || type == StripeFixtures.class || type == Mailbox.class;
  }

  @Override
  public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
    TestServer server = shared(context);
    Class<?> type = parameter.getParameter().getType();
    if (type == StripeFixtures.class) {
      return new StripeFixtures(server);
    }
    if (type == Mailbox.class) {
      return new Mailbox(server);
    }
    return server;
  }

  private static TestServer shared(ExtensionContext context) {
    return context
        .getRoot()
        .getStore(NAMESPACE)
        .getOrComputeIfAbsent(Start.class, key -> Start.attempt(), Start.class)
        .server();
  }

  /**
   * The run's one attempt to start the server: the server, or why it did not start. JUnit closes it
   * (it is {@link AutoCloseable}) when the run ends.
   */
  private record Start(TestServer started, Exception failure) implements AutoCloseable {

    static Start attempt() {
      try {
        TestServer server = TestServer.start();
        // JUnit never closes its store when a run is aborted (Ctrl-C, a fork that dies): the
        // hook still stops Payara and drops the schema then; after a normal close it does nothing.
        Runtime.getRuntime().addShutdownHook(new Thread(server::close));
        return new Start(server, null);
      } catch (Exception e) {
        return new Start(null, e);
      }
    }

    /** The server, or, for every class that asks after a failed start, the same cause. */
    TestServer server() {
      if (failure != null) {
        throw new IllegalStateException("The test server did not start", failure);
      }
      return started;
    }

    @Override
    public void close() {
      if (started != null) {
        started.close();
      }
    }
  }
}
