package org.newsroom.membership.platform;

import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Liveness;

/**
 * The process answers. A database outage must not make an orchestrator restart every instance, so
 * liveness deliberately checks nothing else.
 */
@Liveness
@ApplicationScoped
public class ProcessLiveness implements HealthCheck {

  @Override
  public HealthCheckResponse call() {
    return HealthCheckResponse.up("process");
  }
}
