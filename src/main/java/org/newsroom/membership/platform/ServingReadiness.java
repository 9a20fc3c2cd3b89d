package org.newsroom.membership.platform;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.servlet.ServletContextEvent;
import jakarta.servlet.ServletContextListener;
import jakarta.servlet.annotation.WebListener;
import java.util.concurrent.atomic.AtomicBoolean;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

/**
 * Ready only once the web application itself serves requests. Payara registers the application's
 * health checks while it deploys the application, seconds before its servlets answer: the
 * cold-start benchmark saw {@code /health/ready} say UP while every {@code /api/entitlements}
 * answered 500 for 13 s. A load balancer that routes by readiness would have sent the first readers
 * of a deploy there. (Before any check is registered Payara's own answer is DOWN only with {@code
 * mp.health.default.readiness.empty.response=DOWN}, which jvm.options sets.)
 */
@Readiness
@ApplicationScoped
public class ServingReadiness implements HealthCheck {

  private static final AtomicBoolean SERVING = new AtomicBoolean();

  @Override
  public HealthCheckResponse call() {
    return HealthCheckResponse.named("serving").status(SERVING.get()).build();
  }

  /** Told by the servlet container when the application starts and stops serving. */
  @WebListener
  public static class Lifecycle implements ServletContextListener {
    @Override
    public void contextInitialized(ServletContextEvent event) {
      SERVING.set(true);
    }

    @Override
    public void contextDestroyed(ServletContextEvent event) {
      SERVING.set(false);
    }
  }
}
