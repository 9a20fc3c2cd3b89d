package org.newsroom.membership.platform;

import jakarta.ejb.ConcurrencyManagement;
import jakarta.ejb.ConcurrencyManagementType;
import jakarta.ejb.Schedule;
import jakarta.ejb.Singleton;
import jakarta.ejb.TransactionAttribute;
import jakarta.ejb.TransactionAttributeType;
import jakarta.inject.Inject;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.logging.Level;
import java.util.logging.Logger;

/** Every two seconds, delivers what is due; each batch commits on its own. */
@Singleton
@ConcurrencyManagement(ConcurrencyManagementType.BEAN)
@TransactionAttribute(TransactionAttributeType.NOT_SUPPORTED)
public class MailSender {

  private static final Logger LOG = Logger.getLogger(MailSender.class.getName());

  @Inject Migrations migrations;
  @Inject MailDelivery delivery;

  private final AtomicBoolean running = new AtomicBoolean();

  @Schedule(hour = "*", minute = "*", second = "*/2", persistent = false)
  void deliverDue() {
    if (!migrations.completed() || !running.compareAndSet(false, true)) {
      return;
    }
    try {
      while (delivery.deliverBatch() == MailDelivery.BATCH) {
        // keep going while batches come back full
      }
    } catch (RuntimeException e) {
      LOG.log(Level.WARNING, "Mail delivery round failed; it is retried", e);
    } finally {
      running.set(false);
    }
  }
}
