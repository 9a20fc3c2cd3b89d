package org.newsroom.membership.platform;

import jakarta.annotation.Resource;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.sql.Connection;
import java.sql.SQLException;
import javax.sql.DataSource;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

/** Ready only once the schema is migrated and the database answers. */
@Readiness
@ApplicationScoped
public class DatabaseReadiness implements HealthCheck {

  @Inject Migrations migrations;

  @Resource(lookup = Migrations.DATASOURCE)
  DataSource dataSource;

  @Override
  public HealthCheckResponse call() {
    var response = HealthCheckResponse.named("database");
    if (!migrations.completed()) {
      String failure = migrations.failure();
      return response.down().withData("migrations", failure == null ? "running" : "failed").build();
    }
    try (Connection connection = dataSource.getConnection()) {
      return response.status(connection.isValid(2)).withData("migrations", "applied").build();
    } catch (SQLException e) {
      return response.down().withData("database", "unreachable").build();
    }
  }
}
