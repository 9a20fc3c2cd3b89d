package org.newsroom.membership.donations;

import jakarta.ejb.ConcurrencyManagement;
import jakarta.ejb.ConcurrencyManagementType;
import jakarta.ejb.Schedule;
import jakarta.ejb.Singleton;
import jakarta.ejb.TransactionAttribute;
import jakarta.ejb.TransactionAttributeType;
import jakarta.inject.Inject;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.newsroom.membership.platform.JobLocks;
import org.newsroom.membership.platform.Migrations;

/**
 * Runs {@link CardExpiryReminders} every hour on one instance at a time (the database lease {@code
 * card-expiry-reminders}); an administrator can run it now ({@code POST
 * /api/admin/card-expiry-reminders}). Each reminder is its own short transaction.
 */
@Singleton
@ConcurrencyManagement(ConcurrencyManagementType.BEAN)
@TransactionAttribute(TransactionAttributeType.NOT_SUPPORTED)
public class CardExpiryReminderJob {

  private static final Logger LOG = Logger.getLogger(CardExpiryReminderJob.class.getName());
  static final String JOB = "card-expiry-reminders";
  private static final Duration LEASE = Duration.ofMinutes(30);
  private static final int BATCH = 200;

  /** {@code ran} is false when another instance was running it. */
  public record Result(boolean ran, int reminded) {}

  @Inject Migrations migrations;
  @Inject JobLocks locks;
  @Inject CardExpiryReminders reminders;

  @Schedule(hour = "*", minute = "23", persistent = false)
  void onTimer() {
    if (!migrations.completed()) {
      return;
    }
    try {
      Result result = run(Instant.now());
      if (result.reminded() > 0) {
        LOG.info(() -> "Card expiry reminders sent: " + result.reminded());
      }
    } catch (RuntimeException e) {
      LOG.log(Level.WARNING, "Card expiry reminders failed; they run again in an hour", e);
    }
  }

  public Result run(Instant now) {
    if (!locks.tryAcquire(JOB, LEASE)) {
      return new Result(false, 0);
    }
    boolean completed = false;
    int reminded = 0;
    try {
      while (true) {
        List<UUID> batch = reminders.candidates(now, BATCH);
        int sent = 0;
        for (UUID id : batch) {
          sent += reminders.remind(id, now) ? 1 : 0;
        }
        reminded += sent;
        // Every candidate reminded is marked and leaves the query; one that was not (changed
        // meanwhile) would come back, so a batch without a reminder ends the run.
        if (batch.size() < BATCH || sent == 0) {
          break;
        }
      }
      completed = true;
      return new Result(true, reminded);
    } finally {
      locks.release(JOB, completed);
    }
  }
}
