package org.newsroom.membership.notifications;

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
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.newsroom.membership.platform.Migrations;

/**
 * Every second, sends what is due with several senders side by side, each claiming, sending and
 * recording its own batches in its own transactions: while one waits for push services or the
 * database, another encrypts, so an alert to many readers is bounded by the cores, not by round
 * trips.
 */
@Singleton
@ConcurrencyManagement(ConcurrencyManagementType.BEAN)
@TransactionAttribute(TransactionAttributeType.NOT_SUPPORTED)
public class PushSender {

  private static final Logger LOG = Logger.getLogger(PushSender.class.getName());

  @Inject Migrations migrations;
  @Inject PushDeliveries deliveries;

  @Inject
  @ConfigProperty(name = "notifications.senders")
  int senders;

  // Managed threads carry the application's context. Encrypting on the common ForkJoinPool
  // instead failed 31 of 10,000 deliveries of the fan-out benchmark with "No value present" (none
  // since); see StripeEventWorker for why not the default ManagedExecutorService.
  @Resource ManagedThreadFactory threads;

  private ExecutorService executor;
  private final AtomicBoolean running = new AtomicBoolean();

  @PostConstruct
  void start() {
    executor = Executors.newFixedThreadPool(senders, threads);
  }

  @PreDestroy
  void stop() {
    executor.shutdownNow();
  }

  @Schedule(hour = "*", minute = "*", second = "*", persistent = false)
  void deliverDue() {
    if (!migrations.completed() || !running.compareAndSet(false, true)) {
      return;
    }
    try {
      CompletableFuture<?>[] rounds = new CompletableFuture<?>[senders];
      for (int i = 0; i < senders; i++) {
        rounds[i] = CompletableFuture.runAsync(this::sendUntilNoneDue, executor);
      }
      CompletableFuture.allOf(rounds).join();
    } catch (RuntimeException e) {
      LOG.log(Level.WARNING, "Push delivery round failed; it is retried", e);
    } finally {
      running.set(false);
    }
  }

  private void sendUntilNoneDue() {
    List<PushDeliveries.Claimed> claimed;
    while (!(claimed = deliveries.claim()).isEmpty()) {
      deliveries.record(deliveries.sendAll(claimed));
    }
  }
}
