package org.newsroom.membership.stripe;

import static org.newsroom.membership.stripe.StripeJson.array;
import static org.newsroom.membership.stripe.StripeJson.epoch;
import static org.newsroom.membership.stripe.StripeJson.first;
import static org.newsroom.membership.stripe.StripeJson.id;
import static org.newsroom.membership.stripe.StripeJson.lng;
import static org.newsroom.membership.stripe.StripeJson.obj;
import static org.newsroom.membership.stripe.StripeJson.str;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Instant;
import java.time.YearMonth;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import org.newsroom.membership.donations.CheckoutSessions;
import org.newsroom.membership.donations.Frequency;
import org.newsroom.membership.donations.GiftSource;
import org.newsroom.membership.donations.Ledger;
import org.newsroom.membership.donations.MoneyMovement;
import org.newsroom.membership.donations.Payment;
import org.newsroom.membership.donations.RecurringStatus;

/**
 * Applies stored Stripe events: a map from event type to handler, each handler an idempotent upsert
 * keyed by Stripe ids (Ghost's webhook module is the model).
 *
 * <p>Ordering: Stripe does not deliver events in order. Money facts (payments, refunds, disputes,
 * payouts) are additive and keyed by Stripe ids, so their order does not matter; a refund that
 * arrives before its payment fails and is retried with backoff until the payment is there. State
 * that can move back and forth (a subscription's status, period, price, pause) is guarded by
 * Stripe's {@code created} of the event: each contribution row remembers the newest event applied
 * to it and an older one never overwrites it. We chose this over re-fetching the subscription from
 * Stripe on every event because it keeps the worker working (and testable) while Stripe is slow,
 * and costs no API quota; the price is that two events created in the same second are applied in
 * arrival order. Stripe is asked only for what an event does not carry: the charge behind an
 * invoice or payment intent, balance transactions (fees, net, settlement currency), refunds not
 * embedded in the charge, and a payout's balance transactions. The periodic {@link StripeSync}
 * repairs anything a lost event left out.
 */
@ApplicationScoped
public class StripeEventProcessor {

  /** Applies one type's object to the ledger, reading Stripe only through {@code reads}. */
  @FunctionalInterface
  interface Handler {
    void apply(StripeEventProcessor processor, JsonObject object, long created, StripeReads reads);
  }

  private static final Map<String, Handler> HANDLERS =
      Map.ofEntries(
          Map.entry("checkout.session.completed", StripeEventProcessor::checkoutCompleted),
          Map.entry(
              "checkout.session.async_payment_succeeded", StripeEventProcessor::checkoutCompleted),
          Map.entry("checkout.session.async_payment_failed", StripeEventProcessor::checkoutFailed),
          Map.entry("invoice.paid", StripeEventProcessor::invoicePaid),
          Map.entry("invoice.payment_succeeded", StripeEventProcessor::invoicePaid),
          Map.entry("invoice.payment_failed", StripeEventProcessor::invoicePaymentFailed),
          Map.entry("customer.subscription.created", StripeEventProcessor::subscriptionChanged),
          Map.entry("customer.subscription.updated", StripeEventProcessor::subscriptionChanged),
          Map.entry("customer.subscription.deleted", StripeEventProcessor::subscriptionChanged),
          Map.entry("customer.subscription.paused", StripeEventProcessor::subscriptionChanged),
          Map.entry("customer.subscription.resumed", StripeEventProcessor::subscriptionChanged),
          Map.entry("charge.refunded", StripeEventProcessor::chargeRefunded),
          Map.entry("charge.dispute.created", StripeEventProcessor::disputeChanged),
          Map.entry("charge.dispute.closed", StripeEventProcessor::disputeChanged),
          Map.entry("charge.dispute.funds_withdrawn", StripeEventProcessor::disputeChanged),
          Map.entry("charge.dispute.funds_reinstated", StripeEventProcessor::disputeChanged),
          Map.entry("payment_method.attached", StripeEventProcessor::cardAttached),
          Map.entry("payout.paid", StripeEventProcessor::payoutPaid));

  @Inject Ledger ledger;
  @Inject StripeGateway gateway;
  @Inject StripeEventInbox inbox;

  public static boolean handles(String type) {
    return HANDLERS.containsKey(type);
  }

  static List<String> handledTypes() {
    return HANDLERS.keySet().stream().sorted().toList();
  }

  /**
   * Applies one stored event: first everything it needs from Stripe is read, outside any
   * transaction (the handler runs against a recording {@link StripeReads} with the ledger's writes
   * left out); then a short transaction locks the event, applies it from what was read and marks it
   * applied. A slow Stripe therefore never holds a row lock or a pooled connection. {@code again}
   * applies an event that was already applied (the admin's replay).
   */
  public void apply(StripeEventInbox.Claimed event, boolean again) {
    Handler handler = HANDLERS.get(event.type());
    if (handler == null) {
      inbox.ignore(event.id(), "type not handled");
      return;
    }
    if (event.livemode() != gateway.livemode()) {
      inbox.ignore(event.id(), "livemode does not match the configured key");
      return;
    }
    JsonObject payload = JsonParser.parseString(event.payload()).getAsJsonObject();
    JsonObject object = obj(payload, "data.object");
    if (object == null) {
      throw new IllegalStateException("Event " + event.id() + " has no data.object");
    }
    StripeReads reads = prefetch(handler, object, event.created());
    inbox.applyOnce(event.id(), again, () -> handler.apply(this, object, event.created(), reads));
  }

  /**
   * Runs the handler once against a ledger that answers reads but drops writes, recording what it
   * reads from Stripe; no transaction is open while Stripe answers. The real run then finds every
   * Stripe object it needs already read.
   */
  private StripeReads prefetch(Handler handler, JsonObject object, long created) {
    StripeReads reads = new StripeReads(gateway);
    StripeEventProcessor dryRun = new StripeEventProcessor();
    dryRun.ledger = new ReadOnlyLedger(ledger);
    handler.apply(dryRun, object, created, reads);
    return reads.recorded();
  }

  // ---- Facts fetched by the sync, applied in the same way as events ----

  public void syncSubscription(JsonObject subscription, long asOf) {
    applyFact(StripeEventProcessor::subscriptionChanged, subscription, asOf);
  }

  public void syncInvoice(JsonObject invoice, long asOf) {
    applyFact(StripeEventProcessor::invoicePaid, invoice, asOf);
  }

  public void syncCharge(JsonObject charge, long asOf) {
    applyFact(StripeEventProcessor::chargeFound, charge, asOf);
  }

  public void syncPayout(JsonObject payout, long asOf) {
    applyFact(StripeEventProcessor::payoutPaid, payout, asOf);
  }

  private void applyFact(Handler handler, JsonObject object, long asOf) {
    StripeReads reads = prefetch(handler, object, asOf);
    inbox.write(() -> handler.apply(this, object, asOf, reads));
  }

  // ---- Handlers ----

  /** A one-off gift's charge found by the sync; subscription charges come with their invoice. */
  private void chargeFound(JsonObject charge, long asOf, StripeReads reads) {
    if (!"succeeded".equals(str(charge, "status")) || subscriptionOfCharge(charge) != null) {
      return;
    }
    String chargeId = str(charge, "id");
    if (!ledger.hasPayment(chargeId)) {
      String paymentIntent = id(charge, "payment_intent");
      JsonObject metadata =
          paymentIntent == null ? null : obj(reads.paymentIntent(paymentIntent), "metadata");
      if (metadata == null || str(metadata, "attemptId") == null) {
        return; // not a gift made through this service
      }
      recordCharge(
          charge,
          null,
          null,
          memberOf(metadata),
          str(charge, "billing_details.email"),
          null,
          reads);
      ledger.attributePayment(chargeId, sourceOf(metadata));
      ledger.paymentFeeCovered(chargeId, coveredFeeOf(metadata));
    }
    if (lng(charge, "amount_refunded", 0) > 0) {
      chargeRefunded(charge, asOf, reads);
    }
  }

  private void checkoutCompleted(JsonObject session, long created, StripeReads reads) {
    String paymentStatus = str(session, "payment_status");
    boolean paid = "paid".equals(paymentStatus) || "no_payment_required".equals(paymentStatus);
    JsonObject metadata = obj(session, "metadata");
    UUID memberId = memberOf(metadata);
    String email = str(session, "customer_details.email");
    if (email == null) {
      email = str(session, "customer_email");
    }
    if ("subscription".equals(str(session, "mode"))) {
      String subscriptionId = id(session, "subscription");
      if (subscriptionId == null) {
        return;
      }
      Frequency frequency =
          metadata != null && "ANNUAL".equals(str(metadata, "frequency"))
              ? Frequency.ANNUAL
              : Frequency.MONTHLY;
      // Unpaid (a bank debit still clearing) stays INCOMPLETE, which makes nobody a supporter.
      ledger.applySubscription(
          new Ledger.SubscriptionState(
              subscriptionId,
              id(session, "customer"),
              memberId,
              email,
              lng(session, "amount_total"),
              currency(session),
              frequency,
              paid ? RecurringStatus.ACTIVE : RecurringStatus.INCOMPLETE,
              null,
              null,
              null,
              paid ? Instant.ofEpochSecond(created) : null,
              null),
          created);
      ledger.attributeContribution(subscriptionId, sourceOf(metadata));
      ledger.contributionFeeCovered(subscriptionId, coveredFeeOf(metadata));
      return;
    }
    if (!paid) {
      return; // fulfilled by checkout.session.async_payment_succeeded, if the money arrives
    }
    String paymentIntentId = id(session, "payment_intent");
    if (paymentIntentId == null) {
      return;
    }
    JsonObject charge = chargeOfPaymentIntent(paymentIntentId, reads);
    if (charge == null) {
      throw new IllegalStateException("Payment intent " + paymentIntentId + " has no charge yet");
    }
    recordCharge(charge, null, null, memberId, email, Frequency.ONE_OFF, reads);
    ledger.attributePayment(str(charge, "id"), sourceOf(metadata));
    ledger.paymentFeeCovered(str(charge, "id"), coveredFeeOf(metadata));
  }

  private void checkoutFailed(JsonObject session, long created, StripeReads reads) {
    // Nothing was recorded for an unpaid session and the reader never became a supporter; a
    // subscription behind it expires at Stripe (customer.subscription.deleted/updated follows).
  }

  private void invoicePaid(JsonObject invoice, long created, StripeReads reads) {
    String subscriptionId = subscriptionOfInvoice(invoice);
    if (subscriptionId == null) {
      return; // not a contribution's invoice
    }
    knowSubscription(subscriptionId, created, reads);
    long amountPaid = lng(invoice, "amount_paid", 0);
    if (amountPaid > 0) {
      String chargeId = chargeOfInvoice(invoice, reads);
      if (chargeId == null) {
        throw new IllegalStateException("Invoice " + str(invoice, "id") + " has no charge yet");
      }
      if (!ledger.hasPayment(chargeId)) {
        recordCharge(
            reads.charge(chargeId),
            str(invoice, "id"),
            subscriptionId,
            null,
            str(invoice, "customer_email"),
            null,
            reads);
      }
    }
    JsonObject line = first(invoice, "lines.data");
    ledger.applySubscription(
        new Ledger.SubscriptionState(
            subscriptionId,
            id(invoice, "customer"),
            null,
            str(invoice, "customer_email"),
            null,
            null,
            null,
            RecurringStatus.ACTIVE,
            null,
            line == null ? null : epoch(line, "period.end"),
            null,
            epoch(invoice, "created"),
            null),
        created);
  }

  private void invoicePaymentFailed(JsonObject invoice, long created, StripeReads reads) {
    String subscriptionId = subscriptionOfInvoice(invoice);
    if (subscriptionId == null) {
      return;
    }
    knowSubscription(subscriptionId, created, reads);
    long attempt = lng(invoice, "attempt_count", 0);
    ledger.paymentFailed(
        subscriptionId,
        str(invoice, "id") + "#" + attempt,
        created,
        (int) attempt,
        epoch(invoice, "next_payment_attempt"));
  }

  private void subscriptionChanged(JsonObject subscription, long created, StripeReads reads) {
    ledger.applySubscription(stateOf(subscription), created);
    ledger.attributeContribution(str(subscription, "id"), sourceOf(obj(subscription, "metadata")));
    ledger.contributionFeeCovered(
        str(subscription, "id"), coveredFeeOf(obj(subscription, "metadata")));
  }

  private void chargeRefunded(JsonObject charge, long created, StripeReads reads) {
    String chargeId = str(charge, "id");
    long totalRefunded = lng(charge, "amount_refunded", 0);
    List<JsonObject> refunds = new ArrayList<>();
    JsonObject embedded = obj(charge, "refunds");
    if (embedded != null && array(embedded, "data").size() > 0) {
      array(embedded, "data").forEach(r -> refunds.add(r.getAsJsonObject()));
    } else {
      refunds.addAll(reads.refundsOf(chargeId));
    }
    boolean any = false;
    for (JsonObject refund : refunds) {
      String refundId = str(refund, "id");
      String status = str(refund, "status");
      if ("failed".equals(status) || "canceled".equals(status)) {
        continue;
      }
      any = true;
      if (ledger.hasMovement(MoneyMovement.Type.REFUND, refundId)) {
        continue;
      }
      ledger.recordRefund(
          new Ledger.Refund(
              chargeId,
              refundId,
              lng(refund, "amount", 0),
              balance(refund, "balance_transaction", reads),
              epoch(refund, "created"),
              totalRefunded));
    }
    if (!any) {
      ledger.recordRefund(Ledger.Refund.totalOnly(chargeId, totalRefunded));
    }
  }

  private void disputeChanged(JsonObject dispute, long created, StripeReads reads) {
    String disputeId = str(dispute, "id");
    String chargeId = id(dispute, "charge");
    long amount = lng(dispute, "amount", 0);
    String status = str(dispute, "status");
    Payment.DisputeStatus outcome =
        switch (status == null ? "" : status) {
          case "won", "warning_closed" -> Payment.DisputeStatus.WON;
          case "lost" -> Payment.DisputeStatus.LOST;
          default -> Payment.DisputeStatus.OPEN;
        };
    Ledger.Balance withdrawal = null;
    Instant withdrawnAt = null;
    Ledger.Balance reinstatement = null;
    Instant reinstatedAt = null;
    for (JsonElement element : array(dispute, "balance_transactions")) {
      JsonObject bt =
          element.isJsonObject()
              ? element.getAsJsonObject()
              : reads.balanceTransaction(element.getAsString());
      Ledger.Balance b = balanceOf(bt);
      if (b.amount() < 0 && withdrawal == null) {
        withdrawal = b;
        withdrawnAt = epoch(bt, "created");
      } else if (b.amount() > 0 && reinstatement == null) {
        reinstatement = b;
        reinstatedAt = epoch(bt, "created");
      }
    }
    if (withdrawnAt == null) {
      withdrawnAt = epoch(dispute, "created");
    }
    ledger.recordDispute(
        new Ledger.Dispute(
            disputeId,
            chargeId,
            outcome,
            amount,
            withdrawal,
            withdrawnAt,
            reinstatement,
            reinstatedAt));
  }

  private void payoutPaid(JsonObject payout, long created, StripeReads reads) {
    String payoutId = str(payout, "id");
    List<Ledger.PayoutLine> lines =
        reads.payoutTransactions(payoutId).stream()
            .map(
                bt ->
                    new Ledger.PayoutLine(
                        str(bt, "id"),
                        str(bt, "type") == null ? "unknown" : str(bt, "type"),
                        id(bt, "source"),
                        lng(bt, "amount", 0),
                        lng(bt, "fee", 0),
                        lng(bt, "net", 0),
                        currency(bt),
                        epoch(bt, "created")))
            .toList();
    ledger.recordPayout(
        new Ledger.Payout(
            payoutId,
            lng(payout, "amount", 0),
            currency(payout),
            str(payout, "status") == null ? "paid" : str(payout, "status"),
            epoch(payout, "arrival_date"),
            lines));
  }

  /** A card the reader gave (the billing portal attaches it): the renewals' card from now on. */
  private void cardAttached(JsonObject paymentMethod, long created, StripeReads reads) {
    String customer = id(paymentMethod, "customer");
    YearMonth expiry = cardExpiry(obj(paymentMethod, "card"));
    if (customer != null && expiry != null) {
      ledger.cardAttached(customer, expiry, created);
    }
  }

  // ---- Helpers ----

  /** The last month a card works in; null for a payment method that is not a card. */
  private static YearMonth cardExpiry(JsonObject card) {
    long month = card == null ? 0 : lng(card, "exp_month", 0);
    long year = card == null ? 0 : lng(card, "exp_year", 0);
    return month >= 1 && month <= 12 && year > 0 ? YearMonth.of((int) year, (int) month) : null;
  }

  /** An invoice can arrive before any event about its subscription: ask Stripe for it then. */
  private void knowSubscription(String subscriptionId, long created, StripeReads reads) {
    if (!ledger.knowsSubscription(subscriptionId)) {
      JsonObject subscription = reads.subscription(subscriptionId);
      // Stripe's current state, but stamped no later than this event so that events created
      // after it still apply.
      ledger.applySubscription(stateOf(subscription), Math.min(created, nowEpoch()));
      ledger.attributeContribution(subscriptionId, sourceOf(obj(subscription, "metadata")));
      ledger.contributionFeeCovered(subscriptionId, coveredFeeOf(obj(subscription, "metadata")));
    }
  }

  private void recordCharge(
      JsonObject charge,
      String invoiceId,
      String subscriptionId,
      UUID memberId,
      String email,
      Frequency frequency,
      StripeReads reads) {
    String chargeEmail = email != null ? email : str(charge, "billing_details.email");
    ledger.recordPayment(
        new Ledger.Charge(
            str(charge, "id"),
            id(charge, "payment_intent"),
            invoiceId,
            subscriptionId,
            id(charge, "customer"),
            memberId,
            chargeEmail,
            lng(charge, "amount", 0),
            currency(charge),
            frequency,
            epoch(charge, "created"),
            lng(charge, "amount_refunded", 0),
            cardExpiry(obj(charge, "payment_method_details.card"))),
        balance(charge, "balance_transaction", reads));
  }

  /** The balance transaction a field names, fetched from Stripe unless it came expanded. */
  private Ledger.Balance balance(JsonObject object, String field, StripeReads reads) {
    JsonObject expanded = obj(object, field);
    if (expanded != null) {
      return balanceOf(expanded);
    }
    String id = str(object, field);
    if (id == null) {
      throw new IllegalStateException(
          "No balance transaction yet for " + str(object, "id") + "; retried later");
    }
    return balanceOf(reads.balanceTransaction(id));
  }

  private static Ledger.Balance balanceOf(JsonObject bt) {
    return new Ledger.Balance(
        str(bt, "id"), lng(bt, "amount", 0), lng(bt, "fee", 0), lng(bt, "net", 0), currency(bt));
  }

  private JsonObject chargeOfPaymentIntent(String paymentIntentId, StripeReads reads) {
    JsonObject intent = reads.paymentIntent(paymentIntentId);
    JsonObject expanded = obj(intent, "latest_charge");
    if (expanded != null) {
      return expanded;
    }
    String chargeId = str(intent, "latest_charge");
    return chargeId == null ? null : reads.charge(chargeId);
  }

  /** Older API versions name the charge on the invoice; newer ones list the invoice payments. */
  private String chargeOfInvoice(JsonObject invoice, StripeReads reads) {
    String charge = id(invoice, "charge");
    if (charge != null) {
      return charge;
    }
    String paymentIntent = id(invoice, "payment_intent");
    for (JsonElement p : array(invoice, "payments.data")) {
      JsonObject payment = p.getAsJsonObject();
      if (id(payment, "payment.charge") != null) {
        return id(payment, "payment.charge");
      }
      if (paymentIntent == null) {
        paymentIntent = id(payment, "payment.payment_intent");
      }
    }
    if (paymentIntent != null) {
      JsonObject c = chargeOfPaymentIntent(paymentIntent, reads);
      return c == null ? null : str(c, "id");
    }
    return null;
  }

  private static String subscriptionOfInvoice(JsonObject invoice) {
    String id = id(invoice, "subscription");
    if (id == null) {
      id = id(invoice, "parent.subscription_details.subscription");
    }
    if (id == null) {
      JsonObject line = first(invoice, "lines.data");
      if (line != null) {
        id = id(line, "subscription");
        if (id == null) {
          id = id(line, "parent.subscription_item_details.subscription");
        }
      }
    }
    return id;
  }

  private static String subscriptionOfCharge(JsonObject charge) {
    return id(charge, "invoice");
  }

  static Ledger.SubscriptionState stateOf(JsonObject s) {
    JsonObject item = first(s, "items.data");
    JsonObject price = item == null ? null : obj(item, "price");
    if (price == null) {
      price = obj(s, "plan");
    }
    JsonObject metadata = obj(s, "metadata");
    String interval = price == null ? null : str(price, "recurring.interval");
    if (interval == null && price != null) {
      interval = str(price, "interval");
    }
    Frequency frequency =
        interval != null
            ? Frequency.ofInterval(interval)
            : metadata != null && "ANNUAL".equals(str(metadata, "frequency"))
                ? Frequency.ANNUAL
                : Frequency.MONTHLY;
    JsonObject pause = obj(s, "pause_collection");
    RecurringStatus status = statusOf(str(s, "status"), pause != null);
    Instant periodEnd = epoch(s, "current_period_end");
    if (periodEnd == null && item != null) {
      periodEnd = epoch(item, "current_period_end");
    }
    Long amount = price == null ? null : lng(price, "unit_amount");
    if (amount == null && price != null) {
      amount = lng(price, "amount");
    }
    return new Ledger.SubscriptionState(
        str(s, "id"),
        id(s, "customer"),
        memberOf(metadata),
        null,
        amount,
        currency(price != null && str(price, "currency") != null ? price : s),
        frequency,
        status,
        StripeJson.bool(s, "cancel_at_period_end"),
        periodEnd,
        pause == null ? null : epoch(pause, "resumes_at"),
        epoch(s, "start_date"),
        str(s, "cancellation_details.comment"));
  }

  private static RecurringStatus statusOf(String status, boolean paused) {
    if (status == null) {
      return null;
    }
    return switch (status) {
      case "active", "trialing" -> paused ? RecurringStatus.PAUSED : RecurringStatus.ACTIVE;
      case "past_due", "unpaid" -> RecurringStatus.PAST_DUE;
      case "paused" -> RecurringStatus.PAUSED;
      case "canceled", "incomplete_expired" -> RecurringStatus.CANCELED;
      default -> RecurringStatus.INCOMPLETE;
    };
  }

  /** Where the gift came from, as the checkout put it in the metadata. */
  private static GiftSource sourceOf(JsonObject metadata) {
    return metadata == null ? null : GiftSource.fromMetadata(key -> str(metadata, key));
  }

  /** The fee the donor chose to cover, as the checkout put it in the metadata; 0 when none. */
  private static long coveredFeeOf(JsonObject metadata) {
    String fee = metadata == null ? null : str(metadata, CheckoutSessions.COVERED_FEE_KEY);
    try {
      return fee == null ? 0 : Math.max(0, Long.parseLong(fee.trim()));
    } catch (NumberFormatException e) {
      return 0;
    }
  }

  private static UUID memberOf(JsonObject metadata) {
    String id = metadata == null ? null : str(metadata, "memberId");
    if (id == null) {
      return null;
    }
    try {
      return UUID.fromString(id);
    } catch (IllegalArgumentException e) {
      return null;
    }
  }

  private static String currency(JsonObject object) {
    String currency = str(object, "currency");
    return currency == null ? null : currency.toUpperCase(Locale.ROOT);
  }

  private static long nowEpoch() {
    return Instant.now().getEpochSecond();
  }
}
