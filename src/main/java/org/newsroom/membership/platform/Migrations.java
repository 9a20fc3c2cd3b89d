package org.newsroom.membership.platform;

import jakarta.annotation.PostConstruct;
import jakarta.annotation.Resource;
import jakarta.annotation.sql.DataSourceDefinition;
import jakarta.ejb.ConcurrencyManagement;
import jakarta.ejb.ConcurrencyManagementType;
import jakarta.ejb.Singleton;
import jakarta.ejb.Startup;
import jakarta.ejb.TransactionManagement;
import jakarta.ejb.TransactionManagementType;
import jakarta.inject.Inject;
import java.util.List;
import java.util.logging.Level;
import java.util.logging.Logger;
import javax.sql.DataSource;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.flywaydb.core.Flyway;

/**
 * Brings the schema up to date before anything uses it. Flyway commits on its own, so the bean
 * manages no transaction; two instances starting together are serialised by Flyway's own lock (a
 * PostgreSQL advisory lock), so only one of them applies each migration.
 */
@DataSourceDefinition(
    name = Migrations.DATASOURCE,
    className = "org.newsroom.membership.platform.UrlDataSource",
    url = "${MPCONFIG=db.url}",
    user = "${MPCONFIG=db.user}",
    password = "${MPCONFIG=db.password}",
    minPoolSize = 2,
    maxPoolSize = 32,
    maxIdleTime = 300,
    properties = {
      "fish.payara.is-connection-validation-required=true",
      "fish.payara.connection-validation-method=custom-validation",
      "fish.payara.validation-classname=org.glassfish.api.jdbc.validation.JDBC40ConnectionValidation",
      // Validating costs a round trip (an empty query) on every checkout: a fifth of the Stripe
      // appliers' database waits in a flight recording (README, "Benchmarks"). A connection is
      // validated at most every 2 s instead; one broken meanwhile fails its transaction, which is
      // retried (events) or answered 503, and fail-all-connections still empties the pool.
      "fish.payara.validate-atmost-once-period-in-seconds=2",
      "fish.payara.fail-all-connections=true",
      "fish.payara.max-wait-time-in-millis=2000"
    })
@Singleton
@Startup
@TransactionManagement(TransactionManagementType.BEAN)
// completed() is read on every request; the container's default write lock would serialise them.
@ConcurrencyManagement(ConcurrencyManagementType.BEAN)
public class Migrations {

  public static final String DATASOURCE = "java:app/jdbc/membership";
  private static final Logger LOG = Logger.getLogger(Migrations.class.getName());

  @Resource(lookup = DATASOURCE)
  DataSource dataSource;

  @Inject
  @ConfigProperty(name = "db.migration-locations")
  List<String> locations;

  private volatile boolean completed;
  private volatile String failure;

  @PostConstruct
  void migrate() {
    try {
      flyway(dataSource, locations).migrate();
      completed = true;
    } catch (RuntimeException e) {
      // The service stays up but not ready, so an operator sees why in the log and in
      // /health/ready instead of a crash loop that hides the cause.
      failure = e.getMessage();
      LOG.log(Level.SEVERE, "Database migration failed; the service will not become ready", e);
    }
  }

  public boolean completed() {
    return completed;
  }

  public String failure() {
    return failure;
  }

  public static Flyway flyway(DataSource dataSource, List<String> locations) {
    return Flyway.configure(Migrations.class.getClassLoader())
        .dataSource(dataSource)
        .locations(locations.toArray(String[]::new))
        .load();
  }
}
