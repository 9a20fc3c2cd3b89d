package org.newsroom.membership.notifications;

import jakarta.ejb.ConcurrencyManagement;
import jakarta.ejb.ConcurrencyManagementType;
import jakarta.ejb.Schedule;
import jakarta.ejb.Singleton;
import jakarta.ejb.TransactionAttribute;
import jakarta.ejb.TransactionAttributeType;
import jakarta.inject.Inject;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.newsroom.membership.platform.Migrations;

/** Every second, sends what is due; each batch claims and records in its own transactions. */
@Singleton
@ConcurrencyManagement(ConcurrencyManagementType.BEAN)
@TransactionAttribute(TransactionAttributeType.NOT_SUPPORTED)
public class PushSender {

  private static final Logger LOG = Logger.getLogger(PushSender.class.getName());

  @Inject Migrations migrations;
  @Inject PushDeliveries deliveries;

  private final AtomicBoolean running = new AtomicBoolean();

  @Schedule(hour = "*", minute = "*", second = "*", persistent = false)
  void deliverDue() {
    if (!migrations.completed() || !running.compareAndSet(false, true)) {
      return;
    }
    try {
      List<PushDeliveries.Claimed> claimed;
      while (!(claimed = deliveries.claim()).isEmpty()) {
        deliveries.record(deliveries.sendAll(claimed));
      }
    } catch (RuntimeException e) {
      LOG.log(Level.WARNING, "Push delivery round failed; it is retried", e);
    } finally {
      running.set(false);
    }
  }
}
