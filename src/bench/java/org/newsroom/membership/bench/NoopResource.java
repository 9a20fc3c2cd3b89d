package org.newsroom.membership.bench;

import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

/**
 * Benchmark builds only (-Pbenchmark): the cheapest possible JAX-RS GET in the same deployment,
 * the ceiling the entitlement check is measured against. Never in a production WAR.
 */
@Path("bench/noop")
public class NoopResource {

  public record Noop(boolean ok) {}

  @GET
  @Produces(MediaType.APPLICATION_JSON)
  public Noop noop() {
    return new Noop(true);
  }
}
