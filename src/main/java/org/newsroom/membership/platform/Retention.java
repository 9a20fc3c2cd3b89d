package org.newsroom.membership.platform;

import jakarta.annotation.Resource;
import jakarta.ejb.ConcurrencyManagement;
import jakarta.ejb.ConcurrencyManagementType;
import jakarta.ejb.Schedule;
import jakarta.ejb.Singleton;
import jakarta.ejb.TransactionAttribute;
import jakarta.ejb.TransactionAttributeType;
import jakarta.inject.Inject;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.logging.Level;
import java.util.logging.Logger;
import javax.sql.DataSource;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * Applies {@link RetentionRules} on a timer, on one instance at a time: a database lease ({@link
 * JobLocks}, job {@code retention}) decides which instance runs, and the job runs at most once per
 * {@code retention.interval-minutes} across all of them.
 */
@Singleton
@ConcurrencyManagement(ConcurrencyManagementType.BEAN)
@TransactionAttribute(TransactionAttributeType.NOT_SUPPORTED)
public class Retention {

  private static final Logger LOG = Logger.getLogger(Retention.class.getName());
  static final String JOB = "retention";
  private static final Duration LEASE = Duration.ofMinutes(30);

  @Inject Migrations migrations;
  @Inject JobLocks locks;

  @Resource(lookup = Migrations.DATASOURCE)
  DataSource dataSource;

  @Inject
  @ConfigProperty(name = "retention.days")
  int retentionDays;

  @Inject
  @ConfigProperty(name = "stripe.event-retention-days")
  int eventRetentionDays;

  @Inject
  @ConfigProperty(name = "session.idle-timeout-days")
  int sessionIdleDays;

  @Inject
  @ConfigProperty(name = "retention.interval-minutes")
  int intervalMinutes;

  @Schedule(hour = "*", minute = "*/5", persistent = false)
  void onTimer() {
    if (!migrations.completed() || intervalMinutes <= 0) {
      return;
    }
    try {
      if (!locks.ranWithin(JOB, Duration.ofMinutes(intervalMinutes))) {
        run(Instant.now());
      }
    } catch (RuntimeException e) {
      LOG.log(Level.WARNING, "Retention failed; it runs again later", e);
    }
  }

  /** Runs the rules as of {@code now} unless another instance holds the lease; null then. */
  public RetentionRules.Result run(Instant now) {
    if (!locks.tryAcquire(JOB, LEASE)) {
      return null;
    }
    boolean completed = false;
    try (Connection c = dataSource.getConnection()) {
      RetentionRules.Result result =
          new RetentionRules(retentionDays, eventRetentionDays, sessionIdleDays).apply(c, now);
      completed = true;
      LOG.info(() -> "Retention: " + result);
      return result;
    } catch (SQLException e) {
      throw new IllegalStateException("Retention failed", e);
    } finally {
      locks.release(JOB, completed);
    }
  }
}
