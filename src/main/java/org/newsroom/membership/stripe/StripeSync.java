package org.newsroom.membership.stripe;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import jakarta.ejb.ConcurrencyManagement;
import jakarta.ejb.ConcurrencyManagementType;
import jakarta.ejb.Schedule;
import jakarta.ejb.Singleton;
import jakarta.ejb.TransactionAttribute;
import jakarta.ejb.TransactionAttributeType;
import jakarta.inject.Inject;
import jakarta.json.Json;
import java.time.Duration;
import java.time.Instant;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.newsroom.membership.platform.AuditLog;
import org.newsroom.membership.platform.JobLocks;
import org.newsroom.membership.platform.Migrations;

/**
 * Every {@code stripe.sync-interval-minutes}, one instance (the one holding the database lease)
 * asks Stripe for recent subscriptions, paid invoices, charges and payouts (every page of each
 * list, created within {@code stripe.sync-lookback-days}, at most 30) and applies them exactly as
 * the matching events would be applied. A webhook Stripe gave up on therefore never means lost
 * money in the reports; running it again changes nothing.
 */
@Singleton
@ConcurrencyManagement(ConcurrencyManagementType.BEAN)
@TransactionAttribute(TransactionAttributeType.NOT_SUPPORTED)
public class StripeSync {

  private static final Logger LOG = Logger.getLogger(StripeSync.class.getName());
  static final String JOB = "stripe-sync";
  private static final Duration LEASE = Duration.ofMinutes(10);
  static final long MAX_LOOKBACK_DAYS = 30;

  public record Result(
      boolean ran,
      int events,
      int subscriptions,
      int invoices,
      int charges,
      int payouts,
      int failures) {}

  @Inject Migrations migrations;
  @Inject JobLocks locks;
  @Inject StripeGateway gateway;
  @Inject StripeEventProcessor processor;
  @Inject StripeEventInbox inbox;
  @Inject AuditLog auditLog;
  @Inject StripeCustomerDeletions customerDeletions;

  @Inject
  @ConfigProperty(name = "stripe.sync-interval-minutes")
  long intervalMinutes;

  @Inject
  @ConfigProperty(name = "stripe.sync-lookback-days")
  long lookbackDays;

  @Schedule(hour = "*", minute = "*", persistent = false)
  void onTimer() {
    if (!migrations.completed() || !gateway.configured() || intervalMinutes <= 0) {
      return;
    }
    try {
      if (!locks.ranWithin(JOB, Duration.ofMinutes(intervalMinutes))) {
        run();
      }
    } catch (RuntimeException e) {
      LOG.log(Level.WARNING, "Stripe sync failed; it runs again later", e);
    }
  }

  /** Runs the sync now unless another instance is running it. */
  public Result run() {
    if (!locks.tryAcquire(JOB, LEASE)) {
      return new Result(false, 0, 0, 0, 0, 0, 0);
    }
    Result result = null;
    try {
      result = syncAll();
      return result;
    } finally {
      locks.release(JOB, result != null);
      audit(result);
    }
  }

  /** Every run is audited, the failed ones too (then without counts). */
  private void audit(Result result) {
    var details = Json.createObjectBuilder();
    if (result == null) {
      details.add("outcome", "failed");
    } else {
      details
          .add("outcome", "completed")
          .add("events", result.events())
          .add("subscriptions", result.subscriptions())
          .add("invoices", result.invoices())
          .add("charges", result.charges())
          .add("payouts", result.payouts())
          .add("failures", result.failures());
    }
    try {
      auditLog.record(AuditLog.SYSTEM, "stripe.sync.run", "stripe", details.build());
    } catch (RuntimeException e) {
      LOG.log(Level.WARNING, "Sync run not audited: " + e.getMessage());
    }
  }

  private Result syncAll() {
    long asOf = Instant.now().getEpochSecond();
    long since = Instant.now().minus(Duration.ofDays(lookback())).getEpochSecond();
    int failures = 0;
    // First the events Stripe still holds (30 days): any that never reached the webhook go into
    // the inbox exactly as a delivery would put them there, and the worker applies them. This
    // repairs subscription changes of old subscriptions, which the lists below do not reach.
    int events = 0;
    try {
      for (JsonObject e : gateway.recentEvents(since, StripeEventProcessor.handledTypes())) {
        if (storeMissing(e)) {
          events++;
        }
      }
    } catch (RuntimeException e) {
      LOG.log(Level.WARNING, "Listing Stripe events failed: " + e.getMessage());
      failures++;
    }
    int subscriptions = 0;
    for (JsonObject listed : gateway.recentSubscriptions(since)) {
      JsonObject s = forgetErased(listed);
      failures += attempt("subscription", s, () -> processor.syncSubscription(s, asOf));
      subscriptions++;
    }
    int invoices = 0;
    for (JsonObject listed : gateway.recentPaidInvoices(since)) {
      JsonObject i = forgetErased(listed);
      failures += attempt("invoice", i, () -> processor.syncInvoice(i, asOf));
      invoices++;
    }
    int charges = 0;
    for (JsonObject listed : gateway.recentCharges(since)) {
      JsonObject c = forgetErased(listed);
      failures += attempt("charge", c, () -> processor.syncCharge(c, asOf));
      charges++;
    }
    int payouts = 0;
    for (JsonObject p : gateway.recentPayouts(since)) {
      failures += attempt("payout", p, () -> processor.syncPayout(p, asOf));
      payouts++;
    }
    return new Result(true, events, subscriptions, invoices, charges, payouts, failures);
  }

  /**
   * Days to look back, at most Stripe's 30: Stripe keeps events for 30 days, so a longer look-back
   * would read the lists for facts whose events can no longer be listed, and cost pages for
   * nothing.
   */
  long lookback() {
    if (lookbackDays > MAX_LOOKBACK_DAYS || lookbackDays < 1) {
      LOG.warning(
          "stripe.sync-lookback-days="
              + lookbackDays
              + " is outside 1.."
              + MAX_LOOKBACK_DAYS
              + "; using "
              + Math.max(1, Math.min(lookbackDays, MAX_LOOKBACK_DAYS)));
    }
    return Math.max(1, Math.min(lookbackDays, MAX_LOOKBACK_DAYS));
  }

  /**
   * An object of an erased person's customer without its personal fields: Stripe keeps names and
   * emails on invoices and charges after the customer is gone, and the sync must not write them
   * back onto pseudonymised rows.
   */
  private JsonObject forgetErased(JsonObject object) {
    String customer;
    try {
      customer = PayloadRedaction.customerOfObject(object);
    } catch (RuntimeException unexpectedShape) {
      return object;
    }
    if (customer == null || !customerDeletions.isRequested(customer)) {
      return object;
    }
    return JsonParser.parseString(PayloadRedaction.redact(object.toString(), null))
        .getAsJsonObject();
  }

  /** Stores an event the webhook never delivered; true if it was missing. */
  private boolean storeMissing(JsonObject e) {
    String id = StripeJson.str(e, "id");
    String type = StripeJson.str(e, "type");
    if (id == null || type == null || inbox.exists(id)) {
      return false;
    }
    boolean livemode = Boolean.TRUE.equals(StripeJson.bool(e, "livemode"));
    StripeEvent event =
        new StripeEvent(
            id,
            type,
            livemode,
            StripeJson.lng(e, "created", 0),
            e.toString(),
            livemode == gateway.livemode()
                ? StripeEvent.Status.PENDING
                : StripeEvent.Status.IGNORED);
    try {
      inbox.store(event);
      return true;
    } catch (RuntimeException raced) {
      return false; // delivered by the webhook meanwhile
    }
  }

  private static int attempt(String what, JsonObject object, Runnable step) {
    try {
      step.run();
      return 0;
    } catch (RuntimeException e) {
      LOG.log(
          Level.WARNING,
          "Sync of " + what + " " + StripeJson.str(object, "id") + " failed: " + e.getMessage());
      return 1;
    }
  }
}
