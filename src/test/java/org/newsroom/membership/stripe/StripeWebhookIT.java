package org.newsroom.membership.stripe;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.absent;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static org.assertj.core.api.Assertions.assertThat;
import static org.newsroom.membership.testing.Await.eventually;
import static org.newsroom.membership.testing.StripeFixtures.event;
import static org.newsroom.membership.testing.StripeFixtures.now;
import static org.newsroom.membership.testing.StripeFixtures.unique;

import com.github.tomakehurst.wiremock.stubbing.Scenario;
import jakarta.json.JsonObject;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.newsroom.membership.testing.Api;
import org.newsroom.membership.testing.SharedServer;
import org.newsroom.membership.testing.StripeFixtures;
import org.newsroom.membership.testing.TestServer;

/** The Stripe webhook, the inbox and the worker that applies events, against the Stripe double. */
@SharedServer
class StripeWebhookIT {

  private final TestServer server;
  private final StripeFixtures stripe;

  StripeWebhookIT(TestServer server, StripeFixtures stripe) {
    this.server = server;
    this.stripe = stripe;
  }

  // ---- Intake ----

  @Test
  void forgedSignatureIsRejectedAndNothingIsStored() {
    String id = unique("evt");
    String payload = event(id, "customer.subscription.updated", now(), "{\"id\":\"sub_x\"}");
    HttpResponse<String> response =
        stripe.deliver(
            payload, StripeFixtures.signature(payload, now(), "whsec_someone_else_entirely"));
    assertProblem(response, 400, "invalid-signature");
    assertThat(stripe.count("SELECT COUNT(*) FROM stripe_event WHERE id = ?", id)).isZero();
  }

  @Test
  void changedBodyUnderAValidSignatureIsRejected() {
    String id = unique("evt");
    String payload = event(id, "payout.paid", now(), "{\"id\":\"po_x\"}");
    String header = StripeFixtures.signature(payload, now(), TestServer.STRIPE_WEBHOOK_SECRET);
    assertProblem(
        stripe.deliver(payload.replace("po_x", "po_y"), header), 400, "invalid-signature");
  }

  @Test
  void missingSignatureIsRejected() {
    String payload = event(unique("evt"), "payout.paid", now(), "{\"id\":\"po_x\"}");
    assertProblem(stripe.deliver(payload, null), 400, "invalid-signature");
  }

  @Test
  void signatureOlderThanTheToleranceIsRejected() {
    String id = unique("evt");
    String payload = event(id, "payout.paid", now(), "{\"id\":\"po_x\"}");
    String stale = StripeFixtures.signature(payload, now() - 400, TestServer.STRIPE_WEBHOOK_SECRET);
    assertProblem(stripe.deliver(payload, stale), 400, "invalid-signature");
    assertThat(stripe.count("SELECT COUNT(*) FROM stripe_event WHERE id = ?", id)).isZero();
  }

  @Test
  void bodyOverTheWebhookLimitIsRejectedBeforeSignatureWork() {
    String payload =
        event(unique("evt"), "payout.paid", now(), "{\"pad\":\"" + "x".repeat(530_000) + "\"}");
    HttpResponse<String> response = stripe.deliver(payload, "t=1,v1=00");
    assertThat(response.statusCode()).isEqualTo(413);
  }

  @Test
  void aCorrectlySignedBodyNestedDeeperThanAnyEventIsAnInvalidEventNeverA500() {
    String id = unique("evt");
    String deep = "[".repeat(50_000) + "]".repeat(50_000);
    String payload = event(id, "customer.subscription.updated", now(), "{\"x\":" + deep + "}");
    assertProblem(stripe.deliver(payload), 400, "invalid-event");
    assertProblem(
        stripe.deliver(payload, StripeFixtures.signature(payload, now(), "whsec_not_ours")),
        400,
        "invalid-signature");
    assertThat(stripe.count("SELECT COUNT(*) FROM stripe_event WHERE id = ?", id)).isZero();
  }

  @Test
  void unknownTypeAndOtherModeAreStoredAsIgnoredAndAcknowledged() {
    String unknown = unique("evt");
    HttpResponse<String> first =
        stripe.deliver(event(unknown, "customer.tax_id.created", now(), "{\"id\":\"txi_1\"}"));
    assertThat(first.statusCode()).isEqualTo(200);
    String live = unique("evt");
    HttpResponse<String> second =
        stripe.deliver(
            event(live, "customer.subscription.updated", now(), "{\"id\":\"sub_live\"}", true));
    assertThat(second.statusCode()).isEqualTo(200);
    assertThat(stripe.row("SELECT status FROM stripe_event WHERE id = ?", unknown))
        .containsEntry("status", "IGNORED");
    assertThat(stripe.row("SELECT status, livemode FROM stripe_event WHERE id = ?", live))
        .containsEntry("status", "IGNORED")
        .containsEntry("livemode", true);
    assertThat(
            stripe.count(
                "SELECT COUNT(*) FROM recurring_contribution WHERE"
                    + " stripe_subscription_id = 'sub_live'"))
        .isZero();
  }

  @Test
  void duplicateWebhookIsStoredOnceAndAppliedOnce() {
    String subscription = unique("sub");
    String id = unique("evt");
    String payload =
        event(
            id,
            "customer.subscription.created",
            now(),
            StripeFixtures.subscription(
                subscription, unique("cus"), "active", 700, "month", now() + 2_600_000, null));
    assertThat(stripe.deliver(payload).statusCode()).isEqualTo(200);
    assertThat(stripe.deliver(payload).statusCode()).isEqualTo(200);
    stripe.awaitEvent(id, "APPLIED");
    assertThat(stripe.count("SELECT COUNT(*) FROM stripe_event WHERE id = ?", id)).isEqualTo(1);
    assertThat(stripe.row("SELECT attempts FROM stripe_event WHERE id = ?", id))
        .containsEntry("attempts", 1);
    assertThat(
            stripe.count(
                "SELECT COUNT(*) FROM recurring_contribution WHERE stripe_subscription_id = ?",
                subscription))
        .isEqualTo(1);
  }

  @Test
  void twentyConcurrentDeliveriesOfOneEventAreStoredOnceAndAppliedOnce() throws Exception {
    String subscription = unique("sub");
    String id = unique("evt");
    String payload =
        event(
            id,
            "customer.subscription.created",
            now(),
            StripeFixtures.subscription(
                subscription, unique("cus"), "active", 900, "year", now() + 30_000_000, null));
    ExecutorService pool = Executors.newFixedThreadPool(20);
    try {
      List<Future<HttpResponse<String>>> responses = new ArrayList<>();
      for (int i = 0; i < 20; i++) {
        responses.add(pool.submit(() -> stripe.deliver(payload)));
      }
      for (Future<HttpResponse<String>> response : responses) {
        assertThat(response.get().statusCode()).isEqualTo(200);
      }
    } finally {
      pool.shutdownNow();
    }
    stripe.awaitEvent(id, "APPLIED");
    assertThat(stripe.count("SELECT COUNT(*) FROM stripe_event WHERE id = ?", id)).isEqualTo(1);
    assertThat(stripe.row("SELECT attempts FROM stripe_event WHERE id = ?", id))
        .containsEntry("attempts", 1);
    assertThat(
            stripe.row(
                "SELECT frequency, amount FROM recurring_contribution"
                    + " WHERE stripe_subscription_id = ?",
                subscription))
        .containsEntry("frequency", "ANNUAL")
        .containsEntry("amount", 900L);
  }

  @Test
  void anEventThatCannotBeStoredIsA503SoStripeDeliversItAgain() throws Exception {
    String id = unique("evt");
    String payload = event(id, "customer.tax_id.created", now(), "{\"id\":\"txi_2\"}");
    server.database.cut();
    try {
      HttpResponse<String> refused = stripe.deliver(payload);
      assertThat(refused.statusCode()).as(refused.body()).isEqualTo(503);
    } finally {
      server.database.restore();
    }
    eventually(
        () -> stripe.deliver(payload).statusCode() == 200, "stored once the database is back");
    assertThat(stripe.count("SELECT COUNT(*) FROM stripe_event WHERE id = ?", id)).isEqualTo(1);
  }

  @Test
  void webhookOutcomesArePublishedAsMetrics() {
    stripe.deliver(event(unique("evt"), "customer.tax_id.created", now(), "{\"id\":\"txi_3\"}"));
    String metrics = server.api().get("/metrics").body();
    assertThat(metrics).contains("stripe_webhook_events", "outcome=\"ignored\"");
  }

  @Test
  void anUnpaidCheckoutMakesNoPaymentUntilTheAsyncPaymentSucceeds() {
    String paymentIntent = unique("pi");
    String charge = unique("ch");
    stripe.stubObject(
        "/v1/payment_intents/" + paymentIntent,
        "{\"id\":\""
            + paymentIntent
            + "\",\"object\":\"payment_intent\",\"latest_charge\":\""
            + charge
            + "\"}");
    stripe.stubCharge(charge, null, 3000, 110);
    String session =
        "{\"id\":\""
            + unique("cs")
            + "\",\"object\":\"checkout.session\",\"mode\":\"payment\","
            + "\"payment_status\":\"%s\",\"amount_total\":3000,\"currency\":\"gbp\","
            + "\"payment_intent\":\""
            + paymentIntent
            + "\",\"customer_details\":{\"email\":\"bank@b.example\"},"
            + "\"metadata\":{\"attemptId\":\"y\",\"frequency\":\"ONE_OFF\"}}";
    String completed = unique("evt");
    stripe.deliver(
        event(completed, "checkout.session.completed", now(), String.format(session, "unpaid")));
    stripe.awaitEvent(completed, "APPLIED");
    assertThat(stripe.count("SELECT COUNT(*) FROM payment WHERE stripe_charge_id = ?", charge))
        .isZero();
    String succeeded = unique("evt");
    stripe.deliver(
        event(
            succeeded,
            "checkout.session.async_payment_succeeded",
            now() + 60,
            String.format(session, "paid")));
    stripe.awaitEvent(succeeded, "APPLIED");
    assertThat(
            stripe.row(
                "SELECT amount, frequency, status, donor_email FROM payment"
                    + " WHERE stripe_charge_id = ?",
                charge))
        .containsEntry("amount", 3000L)
        .containsEntry("frequency", "ONE_OFF")
        .containsEntry("status", "SUCCEEDED")
        .containsEntry("donor_email", "bank@b.example");
  }

  // ---- Applying ----

  @Test
  void twoEventsForTheSameInvoiceMakeOnePayment() {
    Paid paid = subscriptionWithPaidInvoice(1200, 56);
    String second = unique("evt");
    stripe.deliver(event(second, "invoice.paid", now(), paid.invoiceJson));
    stripe.awaitEvent(second, "APPLIED");
    assertThat(
            stripe.count("SELECT COUNT(*) FROM payment WHERE stripe_invoice_id = ?", paid.invoice))
        .isEqualTo(1);
    Map<String, Object> movement =
        stripe.row(
            "SELECT type, amount, fee, net, currency, settlement_currency, stripe_invoice_id"
                + " FROM money_movement WHERE stripe_charge_id = ?",
            paid.charge);
    assertThat(movement)
        .containsEntry("type", "PAYMENT")
        .containsEntry("amount", 1200L)
        .containsEntry("fee", 56L)
        .containsEntry("net", 1144L)
        .containsEntry("currency", "GBP")
        .containsEntry("settlement_currency", "GBP")
        .containsEntry("stripe_invoice_id", paid.invoice);
    assertThat(
            stripe.count(
                "SELECT COUNT(*) FROM money_movement WHERE stripe_charge_id = ?", paid.charge))
        .isEqualTo(1);
  }

  @Test
  void anOlderSubscriptionEventNeverOverwritesANewerOne() {
    String subscription = unique("sub");
    String customer = unique("cus");
    long t = now();
    String newer = unique("evt");
    stripe.deliver(
        event(
            newer,
            "customer.subscription.updated",
            t,
            StripeFixtures.subscription(
                subscription, customer, "active", 1500, "month", t + 2_600_000, null)));
    stripe.awaitEvent(newer, "APPLIED");
    String older = unique("evt");
    stripe.deliver(
        event(
            older,
            "customer.subscription.updated",
            t - 100,
            StripeFixtures.subscription(
                subscription, customer, "past_due", 500, "month", t - 100, null)));
    stripe.awaitEvent(older, "APPLIED");
    assertThat(
            stripe.row(
                "SELECT status, amount, last_event_created FROM recurring_contribution"
                    + " WHERE stripe_subscription_id = ?",
                subscription))
        .containsEntry("status", "ACTIVE")
        .containsEntry("amount", 1500L)
        .containsEntry("last_event_created", t);
  }

  @Test
  void anEventThatFailsIsRetriedWithBackoffAndThenApplied() {
    String subscription = unique("sub");
    String customer = unique("cus");
    created(subscription, customer, 800);
    String charge = unique("ch");
    String bt = "txn_" + charge;
    stripe.stubObject(
        "/v1/charges/" + charge, StripeFixtures.charge(charge, "pi_" + charge, customer, 800, bt));
    String scenario = unique("flaky");
    server.stripe.stubFor(
        get(urlPathEqualTo("/v1/balance_transactions/" + bt))
            .atPriority(1)
            .inScenario(scenario)
            .whenScenarioStateIs(Scenario.STARTED)
            .willReturn(
                aResponse()
                    .withStatus(500)
                    .withHeader("Content-Type", "application/json")
                    .withBody("{\"error\":{\"type\":\"api_error\",\"message\":\"boom\"}}"))
            .willSetStateTo("recovered"));
    server.stripe.stubFor(
        get(urlPathEqualTo("/v1/balance_transactions/" + bt))
            .atPriority(1)
            .inScenario(scenario)
            .whenScenarioStateIs("recovered")
            .willReturn(
                aResponse()
                    .withHeader("Content-Type", "application/json")
                    .withBody(StripeFixtures.balanceTransaction(bt, 800, 32, "charge"))));
    String invoice = unique("in");
    String id = unique("evt");
    stripe.deliver(
        event(
            id,
            "invoice.paid",
            now(),
            StripeFixtures.invoice(
                invoice, subscription, customer, "a@b.example", charge, 800, now() + 2_600_000)));
    stripe.awaitEvent(id, "APPLIED");
    assertThat(stripe.row("SELECT attempts, last_error FROM stripe_event WHERE id = ?", id))
        .containsEntry("attempts", 2)
        .containsEntry("last_error", null);
    assertThat(stripe.row("SELECT fee, net FROM money_movement WHERE stripe_charge_id = ?", charge))
        .containsEntry("fee", 32L)
        .containsEntry("net", 768L);
  }

  @Test
  void refundsAndADisputeWonAreRecordedAsSignedMovements() {
    Paid paid = subscriptionWithPaidInvoice(1000, 50);
    String refund = unique("re");
    stripe.stubObject(
        "/v1/balance_transactions/txn_" + refund,
        StripeFixtures.balanceTransaction("txn_" + refund, -400, 0, "refund"));
    String refunded = unique("evt");
    stripe.deliver(
        event(
            refunded,
            "charge.refunded",
            now(),
            "{\"id\":\""
                + paid.charge
                + "\",\"object\":\"charge\",\"amount\":1000,\"amount_refunded\":400,"
                + "\"currency\":\"gbp\",\"refunded\":false,\"refunds\":{\"object\":\"list\","
                + "\"data\":[{\"id\":\""
                + refund
                + "\",\"object\":\"refund\",\"amount\":400,\"status\":\"succeeded\","
                + "\"balance_transaction\":\"txn_"
                + refund
                + "\",\"created\":"
                + now()
                + "}]}}"));
    stripe.awaitEvent(refunded, "APPLIED");
    assertThat(
            stripe.row(
                "SELECT status, refunded_amount FROM payment WHERE stripe_charge_id = ?",
                paid.charge))
        .containsEntry("status", "PARTIALLY_REFUNDED")
        .containsEntry("refunded_amount", 400L);

    String dispute = unique("du");
    String opened = unique("evt");
    String withdrawal =
        "{\"id\":\"txn_w_"
            + dispute
            + "\",\"object\":\"balance_transaction\",\"amount\":-600,\"fee\":1500,"
            + "\"net\":-2100,\"currency\":\"gbp\",\"type\":\"adjustment\",\"created\":"
            + now()
            + "}";
    stripe.deliver(
        event(
            opened,
            "charge.dispute.created",
            now(),
            disputeJson(dispute, paid.charge, "needs_response", withdrawal)));
    stripe.awaitEvent(opened, "APPLIED");
    assertThat(stripe.row("SELECT status FROM payment WHERE stripe_charge_id = ?", paid.charge))
        .containsEntry("status", "DISPUTED");

    String reinstatement =
        "{\"id\":\"txn_r_"
            + dispute
            + "\",\"object\":\"balance_transaction\",\"amount\":600,\"fee\":-1500,"
            + "\"net\":2100,\"currency\":\"gbp\",\"type\":\"adjustment\",\"created\":"
            + now()
            + "}";
    String closed = unique("evt");
    stripe.deliver(
        event(
            closed,
            "charge.dispute.closed",
            now() + 1,
            disputeJson(dispute, paid.charge, "won", withdrawal + "," + reinstatement)));
    stripe.awaitEvent(closed, "APPLIED");

    List<Map<String, Object>> movements =
        stripe.rows(
            "SELECT type, amount, fee, net FROM money_movement WHERE stripe_charge_id = ?"
                + " ORDER BY type",
            paid.charge);
    assertThat(movements)
        .extracting(
            m -> m.get("type") + " " + m.get("amount") + " " + m.get("fee") + " " + m.get("net"))
        .containsExactlyInAnyOrder(
            "PAYMENT 1000 50 950",
            "REFUND -400 0 -400",
            "DISPUTE -600 1500 -2100",
            "DISPUTE_REVERSAL 600 -1500 2100");
    assertThat(
            stripe.row(
                "SELECT status, dispute_status FROM payment WHERE stripe_charge_id = ?",
                paid.charge))
        .containsEntry("status", "PARTIALLY_REFUNDED")
        .containsEntry("dispute_status", "WON");
  }

  @Test
  void aRefundThatArrivesBeforeItsPaymentIsRetriedUntilThePaymentIsThere() {
    String charge = unique("ch");
    String refund = unique("re");
    stripe.stubObject(
        "/v1/balance_transactions/txn_" + refund,
        StripeFixtures.balanceTransaction("txn_" + refund, -300, 0, "refund"));
    String refunded = unique("evt");
    stripe.deliver(
        event(
            refunded,
            "charge.refunded",
            now(),
            "{\"id\":\""
                + charge
                + "\",\"object\":\"charge\",\"amount\":300,\"amount_refunded\":300,"
                + "\"currency\":\"gbp\",\"refunds\":{\"data\":[{\"id\":\""
                + refund
                + "\",\"amount\":300,\"status\":\"succeeded\",\"balance_transaction\":\"txn_"
                + refund
                + "\",\"created\":"
                + now()
                + "}]}}"));
    stripe.awaitEvent(refunded, "FAILED");
    assertThat(
            stripe
                .row("SELECT last_error FROM stripe_event WHERE id = ?", refunded)
                .get("last_error"))
        .asString()
        .contains(charge);
  }

  @Test
  void aPayoutIsStoredWithItsBalanceTransactionsAndLinkedToMovements() {
    Paid paid = subscriptionWithPaidInvoice(2500, 90);
    String payout = unique("po");
    server.stripe.stubFor(
        get(urlPathEqualTo("/v1/balance_transactions"))
            .withQueryParam("payout", equalTo(payout))
            .atPriority(1)
            .willReturn(
                aResponse()
                    .withHeader("Content-Type", "application/json")
                    .withBody(
                        "{\"object\":\"list\",\"url\":\"/v1/balance_transactions\","
                            + "\"has_more\":false,\"data\":["
                            + StripeFixtures.balanceTransaction(
                                "txn_" + paid.charge, 2500, 90, "charge")
                            + ","
                            + StripeFixtures.balanceTransaction("txn_" + payout, -2410, 0, "payout")
                            + "]}")));
    String id = unique("evt");
    stripe.deliver(
        event(
            id,
            "payout.paid",
            now(),
            "{\"id\":\""
                + payout
                + "\",\"object\":\"payout\",\"amount\":2410,\"currency\":\"gbp\","
                + "\"status\":\"paid\",\"arrival_date\":"
                + now()
                + "}"));
    stripe.awaitEvent(id, "APPLIED");
    assertThat(
            stripe.row(
                "SELECT amount, currency, status FROM payout WHERE stripe_payout_id = ?", payout))
        .containsEntry("amount", 2410L)
        .containsEntry("currency", "GBP")
        .containsEntry("status", "paid");
    assertThat(
            stripe.count(
                "SELECT COUNT(*) FROM payout_balance_transaction WHERE stripe_payout_id = ?",
                payout))
        .isEqualTo(2);
    assertThat(
            stripe.row(
                "SELECT stripe_payout_id FROM money_movement WHERE stripe_charge_id = ?",
                paid.charge))
        .containsEntry("stripe_payout_id", payout);
  }

  // ---- Sync and the admin inbox ----

  @Test
  void theSyncRepairsADroppedInvoicePaidAndASecondRunChangesNothing() {
    String subscription = unique("sub");
    String customer = unique("cus");
    String charge = unique("ch");
    String invoice = unique("in");
    stripe.stubCharge(charge, customer, 1800, 70);
    String subJson =
        StripeFixtures.subscription(
            subscription, customer, "active", 1800, "month", now() + 2_600_000, null);
    String invoiceJson =
        StripeFixtures.invoice(
            invoice, subscription, customer, "sync@b.example", charge, 1800, now() + 2_600_000);
    stubList("/v1/subscriptions", subJson);
    stubList("/v1/invoices", invoiceJson);
    stubList("/v1/charges", "");
    stubList("/v1/payouts", "");
    // An older subscription's change whose webhook was lost: Stripe still lists the event.
    String older = unique("sub");
    String olderCustomer = unique("cus");
    created(older, olderCustomer, 300);
    String lostEvent = unique("evt");
    stubList(
        "/v1/events",
        event(
            lostEvent,
            "customer.subscription.updated",
            now(),
            StripeFixtures.subscription(
                older, olderCustomer, "past_due", 300, "month", now() + 2_600_000, null)));
    Api admin = admin();

    Api.Response first = admin.post("/api/admin/stripe-sync");
    assertThat(first.status()).as(first.body()).isEqualTo(200);
    assertThat(first.json().getBoolean("ran")).isTrue();
    assertThat(
            stripe.row(
                "SELECT status, amount FROM recurring_contribution"
                    + " WHERE stripe_subscription_id = ?",
                subscription))
        .containsEntry("status", "ACTIVE")
        .containsEntry("amount", 1800L);
    assertThat(
            stripe.row("SELECT amount, frequency FROM payment WHERE stripe_charge_id = ?", charge))
        .containsEntry("amount", 1800L)
        .containsEntry("frequency", "MONTHLY");

    stripe.awaitEvent(lostEvent, "APPLIED");
    assertThat(
            stripe.row(
                "SELECT status FROM recurring_contribution WHERE stripe_subscription_id = ?",
                older))
        .containsEntry("status", "PAST_DUE");

    assertThat(admin.post("/api/admin/stripe-sync").status()).isEqualTo(200);
    assertThat(stripe.count("SELECT COUNT(*) FROM stripe_event WHERE id = ?", lostEvent))
        .isEqualTo(1);
    assertThat(stripe.count("SELECT COUNT(*) FROM payment WHERE stripe_charge_id = ?", charge))
        .isEqualTo(1);
    assertThat(
            stripe.count("SELECT COUNT(*) FROM money_movement WHERE stripe_charge_id = ?", charge))
        .isEqualTo(1);
    assertThat(
            stripe.count(
                "SELECT COUNT(*) FROM recurring_contribution WHERE stripe_subscription_id = ?",
                subscription))
        .isEqualTo(1);
  }

  @Test
  void theSyncReadsEveryPageOfEveryListStripeReturns() {
    long t = now();
    List<String> subscriptions = new ArrayList<>();
    List<String> subscriptionPages = new ArrayList<>();
    List<String> invoicePages = new ArrayList<>();
    List<String> chargePages = new ArrayList<>();
    List<String> payoutPages = new ArrayList<>();
    List<String> eventPages = new ArrayList<>();
    List<String> charges = new ArrayList<>();
    List<String> payouts = new ArrayList<>();
    List<String> events = new ArrayList<>();
    for (int page = 0; page < 2; page++) {
      String subscription = unique("sub");
      String customer = unique("cus");
      subscriptions.add(subscription);
      subscriptionPages.add(
          StripeFixtures.subscription(
              subscription, customer, "active", 1100 + page, "month", t + 2_600_000, null));
      String charge = unique("ch");
      charges.add(charge);
      stripe.stubCharge(charge, customer, 1100 + page, 50);
      invoicePages.add(
          StripeFixtures.invoice(
              unique("in"),
              subscription,
              customer,
              "pages@b.example",
              charge,
              1100 + page,
              t + 2_600_000));
      chargePages.add(
          StripeFixtures.charge(unique("ch"), unique("pi"), customer, 300, unique("txn"))
              .replace("\"status\":\"succeeded\"", "\"status\":\"failed\""));
      String payout = unique("po");
      payouts.add(payout);
      payoutPages.add(
          "{\"id\":\""
              + payout
              + "\",\"object\":\"payout\",\"amount\":0,\"currency\":\"gbp\","
              + "\"status\":\"paid\",\"arrival_date\":"
              + t
              + "}");
      server.stripe.stubFor(
          get(urlPathEqualTo("/v1/balance_transactions"))
              .withQueryParam("payout", equalTo(payout))
              .atPriority(1)
              .willReturn(
                  aResponse()
                      .withHeader("Content-Type", "application/json")
                      .withBody(
                          "{\"object\":\"list\",\"url\":\"/v1/balance_transactions\","
                              + "\"has_more\":false,\"data\":[]}")));
      String event = unique("evt");
      events.add(event);
      eventPages.add(event(event, "customer.tax_id.created", t, "{\"id\":\"txi_pages\"}"));
    }
    stubPages("/v1/subscriptions", subscriptionPages);
    stubPages("/v1/invoices", invoicePages);
    stubPages("/v1/charges", chargePages);
    stubPages("/v1/payouts", payoutPages);
    stubPages("/v1/events", eventPages);

    Api.Response sync = admin().post("/api/admin/stripe-sync");
    assertThat(sync.status()).as(sync.body()).isEqualTo(200);
    JsonObject result = sync.json();
    assertThat(result.getBoolean("ran")).isTrue();
    assertThat(result.getInt("failures")).as(sync.body()).isZero();
    for (String count : List.of("events", "subscriptions", "invoices", "charges", "payouts")) {
      assertThat(result.getInt(count)).as(count).isEqualTo(2);
    }
    for (String subscription : subscriptions) {
      assertThat(
              stripe.count(
                  "SELECT COUNT(*) FROM recurring_contribution WHERE stripe_subscription_id = ?",
                  subscription))
          .isEqualTo(1);
    }
    for (String charge : charges) {
      assertThat(stripe.count("SELECT COUNT(*) FROM payment WHERE stripe_charge_id = ?", charge))
          .isEqualTo(1);
    }
    for (String payout : payouts) {
      assertThat(stripe.count("SELECT COUNT(*) FROM payout WHERE stripe_payout_id = ?", payout))
          .isEqualTo(1);
    }
    for (String event : events) {
      assertThat(stripe.count("SELECT COUNT(*) FROM stripe_event WHERE id = ?", event))
          .isEqualTo(1);
    }
  }

  @Test
  void adminsListTheInboxAndReplayAnEvent() {
    String subscription = unique("sub");
    String id = created(subscription, unique("cus"), 400);
    Api admin = admin();
    Api.Response list = admin.get("/api/admin/stripe-events?status=APPLIED");
    assertThat(list.status()).isEqualTo(200);
    JsonObject listed =
        list.json().getJsonArray("events").stream()
            .map(v -> v.asJsonObject())
            .filter(e -> e.getString("id").equals(id))
            .findFirst()
            .orElseThrow();
    assertThat(listed.getString("type")).isEqualTo("customer.subscription.created");
    assertThat(listed.getInt("attempts")).isEqualTo(1);
    assertThat(listed.containsKey("lastError")).as(listed.toString()).isTrue();
    assertThat(listed.isNull("lastError")).isTrue();

    Api.Response replay = admin.post("/api/admin/stripe-events/" + id + "/replay");
    assertThat(replay.status()).isEqualTo(200);
    assertThat(replay.json().getString("status")).isEqualTo("APPLIED");
    assertThat(replay.json().getInt("attempts")).isEqualTo(2);
    assertThat(
            stripe.count(
                "SELECT COUNT(*) FROM recurring_contribution WHERE stripe_subscription_id = ?",
                subscription))
        .isEqualTo(1);

    assertThat(admin.post("/api/admin/stripe-events/evt_nope/replay").status()).isEqualTo(404);
    Api reader = server.api();
    reader.register(Api.uniqueEmail("reader"), "a fine long passphrase 1");
    assertThat(reader.get("/api/admin/stripe-events").status()).isEqualTo(403);
    assertThat(server.api().get("/api/admin/stripe-events").status()).isEqualTo(401);
  }

  // ---- Helpers ----

  private record Paid(
      String subscription, String customer, String invoice, String charge, String invoiceJson) {}

  private String created(String subscription, String customer, long amount) {
    String id = unique("evt");
    stripe.deliver(
        event(
            id,
            "customer.subscription.created",
            now() - 5,
            StripeFixtures.subscription(
                subscription, customer, "active", amount, "month", now() + 2_600_000, null)));
    stripe.awaitEvent(id, "APPLIED");
    return id;
  }

  private Paid subscriptionWithPaidInvoice(long amount, long fee) {
    String subscription = unique("sub");
    String customer = unique("cus");
    created(subscription, customer, amount);
    String charge = unique("ch");
    stripe.stubCharge(charge, customer, amount, fee);
    String invoice = unique("in");
    String invoiceJson =
        StripeFixtures.invoice(
            invoice, subscription, customer, "payer@b.example", charge, amount, now() + 2_600_000);
    String id = unique("evt");
    stripe.deliver(event(id, "invoice.paid", now(), invoiceJson));
    stripe.awaitEvent(id, "APPLIED");
    return new Paid(subscription, customer, invoice, charge, invoiceJson);
  }

  private static String disputeJson(String id, String charge, String status, String bts) {
    return "{\"id\":\""
        + id
        + "\",\"object\":\"dispute\",\"charge\":\""
        + charge
        + "\",\"amount\":600,\"currency\":\"gbp\",\"status\":\""
        + status
        + "\",\"created\":"
        + now()
        + ",\"balance_transactions\":["
        + bts
        + "]}";
  }

  private void stubList(String path, String items) {
    server.stripe.stubFor(
        get(urlPathEqualTo(path))
            .atPriority(1)
            .willReturn(
                aResponse()
                    .withHeader("Content-Type", "application/json")
                    .withBody(
                        "{\"object\":\"list\",\"url\":\""
                            + path
                            + "\",\"has_more\":false,\"data\":["
                            + items
                            + "]}")));
  }

  /**
   * A Stripe list served one item a page, as Stripe pages it: {@code has_more} until the last, and
   * each later page only to a request that starts after the previous page's last item.
   */
  private void stubPages(String path, List<String> items) {
    for (int i = 0; i < items.size(); i++) {
      var request = get(urlPathEqualTo(path));
      if (i == 0) {
        request = request.withQueryParam("starting_after", absent());
      } else {
        String previous =
            jakarta.json.Json.createReader(new java.io.StringReader(items.get(i - 1)))
                .readObject()
                .getString("id");
        request = request.withQueryParam("starting_after", equalTo(previous));
      }
      server.stripe.stubFor(
          request
              .atPriority(1)
              .willReturn(
                  aResponse()
                      .withHeader("Content-Type", "application/json")
                      .withBody(
                          "{\"object\":\"list\",\"url\":\""
                              + path
                              + "\",\"has_more\":"
                              + (i < items.size() - 1)
                              + ",\"data\":["
                              + items.get(i)
                              + "]}")));
    }
  }

  private Api admin() {
    Api admin = server.api();
    Api.Response signedIn = admin.signIn(TestServer.ADMIN_EMAIL, TestServer.ADMIN_PASSWORD);
    assertThat(signedIn.status()).as(signedIn.body()).isEqualTo(200);
    return admin;
  }

  private static void assertProblem(HttpResponse<String> response, int status, String slug) {
    assertThat(response.statusCode()).as(response.body()).isEqualTo(status);
    assertThat(response.headers().firstValue("Content-Type").orElse(""))
        .startsWith("application/problem+json");
    assertThat(response.body()).contains("/problems/" + slug);
  }
}
