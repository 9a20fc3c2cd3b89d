package org.newsroom.membership.stripe;

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

/**
 * Every two seconds, deletes at Stripe the customers that erasures asked to delete. Stripe is
 * called outside any transaction; each outcome is recorded in a short transaction of its own.
 */
@Singleton
@ConcurrencyManagement(ConcurrencyManagementType.BEAN)
@TransactionAttribute(TransactionAttributeType.NOT_SUPPORTED)
public class StripeCustomerDeletionWorker {

  private static final Logger LOG = Logger.getLogger(StripeCustomerDeletionWorker.class.getName());

  @Inject Migrations migrations;
  @Inject StripeCustomerDeletions deletions;
  @Inject StripeGateway gateway;

  private final AtomicBoolean running = new AtomicBoolean();

  @Schedule(hour = "*", minute = "*", second = "*/2", persistent = false)
  void deleteDue() {
    if (!migrations.completed() || !gateway.configured() || !running.compareAndSet(false, true)) {
      return;
    }
    try {
      List<String> claimed;
      do {
        claimed = deletions.claimDue();
        for (String customerId : claimed) {
          try {
            gateway.deleteCustomer(customerId);
            deletions.deleted(customerId);
          } catch (RuntimeException e) {
            LOG.log(
                Level.WARNING,
                "Stripe customer " + customerId + " not deleted yet; retried: " + e.getMessage());
            deletions.failed(customerId, e.getMessage());
          }
        }
      } while (claimed.size() == StripeCustomerDeletions.BATCH);
    } catch (RuntimeException e) {
      LOG.log(Level.WARNING, "Stripe customer deletion round failed; it is retried", e);
    } finally {
      running.set(false);
    }
  }
}
