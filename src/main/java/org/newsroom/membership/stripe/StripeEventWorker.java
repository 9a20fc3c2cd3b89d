package org.newsroom.membership.stripe;

import jakarta.annotation.PostConstruct;
import jakarta.annotation.PreDestroy;
import jakarta.annotation.Resource;
import jakarta.ejb.ConcurrencyManagement;
import jakarta.ejb.ConcurrencyManagementType;
import jakarta.ejb.Schedule;
import jakarta.ejb.Singleton;
import jakarta.ejb.TransactionAttribute;
import jakarta.ejb.TransactionAttributeType;
import jakarta.enterprise.concurrent.ManagedThreadFactory;
import jakarta.inject.Inject;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.eclipse.microprofile.metrics.MetricRegistry;
import org.eclipse.microprofile.metrics.Tag;
import org.newsroom.membership.platform.Migrations;

/**
 * Every second, applies the inbox's due events, each in a short transaction of its own after the
 * Stripe reads it needs, with a few appliers side by side: claims use {@code FOR UPDATE SKIP
 * LOCKED}, so they never share an event, and the ledger's row locks ({@code SELECT ... FOR UPDATE}
 * on the contribution and the payment) and event-time guards keep two events for the same
 * subscription safe in either order.
 */
@Singleton
@ConcurrencyManagement(ConcurrencyManagementType.BEAN)
@TransactionAttribute(TransactionAttributeType.NOT_SUPPORTED)
public class StripeEventWorker {

  private static final Logger LOG = Logger.getLogger(StripeEventWorker.class.getName());

  @Inject Migrations migrations;
  @Inject StripeEventInbox inbox;
  @Inject StripeEventProcessor processor;
  @Inject MetricRegistry metrics;

  private static final int APPLIERS = 4;

  // Not the default ManagedExecutorService: Payara configures it with core-pool-size 0 and an
  // unbounded queue, so it runs one task at a time and the "four appliers" took turns. A fixed
  // pool of managed threads (which carry the application's context) really runs them side by side.
  @Resource ManagedThreadFactory threads;

  private ExecutorService executor;

  @PostConstruct
  void start() {
    executor = Executors.newFixedThreadPool(APPLIERS, threads);
  }

  @PreDestroy
  void stop() {
    executor.shutdownNow();
  }

  private final AtomicBoolean running = new AtomicBoolean();

  @Schedule(hour = "*", minute = "*", second = "*", persistent = false)
  void applyDue() {
    if (!migrations.completed() || !running.compareAndSet(false, true)) {
      return;
    }
    try {
      CompletableFuture<?>[] appliers = new CompletableFuture<?>[APPLIERS];
      for (int i = 0; i < APPLIERS; i++) {
        appliers[i] = CompletableFuture.runAsync(this::applyUntilDone, executor);
      }
      CompletableFuture.allOf(appliers).join();
    } catch (RuntimeException e) {
      LOG.log(Level.WARNING, "Stripe event round failed; it is retried", e);
    } finally {
      running.set(false);
    }
  }

  private void applyUntilDone() {
    List<StripeEventInbox.Claimed> claimed;
    do {
      claimed = inbox.claimDue();
      claimed.forEach(event -> applyOne(event, false));
    } while (claimed.size() == StripeEventInbox.BATCH);
  }

  /** Applies one event now, even if it was applied before (the admin's replay). */
  public void applyAgain(String id) {
    inbox.claim(id).ifPresent(event -> applyOne(event, true));
  }

  /** Applies one event; a failure is recorded on the event and retried after a backoff. */
  private void applyOne(StripeEventInbox.Claimed event, boolean again) {
    String id = event.id();
    try {
      processor.apply(event, again);
      metrics.counter("stripe.events.processed", new Tag("outcome", "applied")).inc();
    } catch (RuntimeException e) {
      metrics.counter("stripe.events.processed", new Tag("outcome", "failed")).inc();
      Throwable cause = e;
      while (cause.getCause() != null && cause.getCause() != cause) {
        cause = cause.getCause();
      }
      LOG.log(Level.WARNING, "Stripe event " + id + " not applied yet: " + cause.getMessage());
      inbox.markFailed(id, cause.getClass().getSimpleName() + ": " + cause.getMessage());
    }
  }
}
