package org.newsroom.membership.stripe;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static org.assertj.core.api.Assertions.assertThat;
import static org.newsroom.membership.testing.StripeFixtures.event;
import static org.newsroom.membership.testing.StripeFixtures.unique;

import jakarta.json.JsonObject;
import java.io.StringReader;
import java.math.BigDecimal;
import java.net.http.HttpResponse;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVParser;
import org.apache.commons.csv.CSVRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.newsroom.membership.testing.Api;
import org.newsroom.membership.testing.StripeFixtures;
import org.newsroom.membership.testing.TestServer;

/**
 * A storm of Stripe events (about 2,300 distinct, 3,000 deliveries): 125 subscriptions with their
 * renewals, failures and final changes, one-off gifts, refunds, disputes and payouts, delivered
 * shuffled, 30 % of them twice, from 32 senders at once, with the database connection cut once a
 * third of the way through and the server killed with SIGKILL two thirds of the way through, then
 * restarted on the same schema while the senders keep retrying, as Stripe does. Every event the
 * dead server had acknowledged with a 200 must be in its inbox at the moment of death; afterwards
 * every contribution shows its newest state, and the ledger, the summary report and the
 * transactions export equal the generated truth to the minor unit. The test kills its server, so it
 * runs one of its own rather than the shared one.
 */
class StripeStormIT {

  // bench/storm.sh raises these (500 and 500 make about 10,000 deliveries).
  private static final int SUBSCRIPTIONS = Integer.getInteger("storm.subscriptions", 125);
  private static final int GIFTS = Integer.getInteger("storm.gifts", 100);
  private static final int SENDERS = 32;

  /**
   * The events the killed server had claimed wait for their lease to run out before the restarted
   * one may apply them: with the default of 120 s the last of them was applied two minutes after
   * the kill, a minute after the last delivery was acknowledged. 20 s is still about four times
   * what a batch of 20 took during the storm (some 5 s: 2,271 events in 155 s by 4 appliers), so no
   * batch outlives its lease.
   */
  private static final int LEASE_SECONDS = 20;

  private static TestServer server;
  private static StripeFixtures stripe;

  @BeforeAll
  static void startOwnServer() throws Exception {
    server =
        TestServer.startOwn(Map.of("STRIPE_EVENT_LEASE_SECONDS", String.valueOf(LEASE_SECONDS)));
    stripe = new StripeFixtures(server);
  }

  @AfterAll
  static void stopOwnServer() {
    if (server != null) {
      server.close();
    }
  }

  private final Random random = new Random(2026);

  /** The money the storm moves, in GBP minor units, as the ledger must end up holding it. */
  private long payments;

  private long paymentCount;
  private long paymentFees;
  private long refunds;
  private long refundCount;
  private long disputes;
  private long disputeCount;
  private long disputeFees;

  private final List<String> deliveries = new ArrayList<>();
  private final Set<String> eventIds = ConcurrentHashMap.newKeySet();
  private final Set<String> charges = ConcurrentHashMap.newKeySet();
  private final Map<String, Map<String, Object>> newest = new HashMap<>();

  /** Each delivery's event id. */
  private final Map<String, String> eventOf = new HashMap<>();

  /** Events the server has answered 200 for. */
  private final Set<String> acknowledged = ConcurrentHashMap.newKeySet();

  private volatile String crash = "not yet";

  @Test
  void aStormOfShuffledDuplicatedConcurrentEventsEndsExactToTheMinorUnit() throws Exception {
    // A day of its own, far ahead, so the reports hold this storm's money and nothing else.
    LocalDate day = LocalDate.of(2035, 1, 1).plusDays(random.nextInt(300));
    long t0 = day.atTime(9, 0).toEpochSecond(ZoneOffset.UTC);
    for (int s = 0; s < SUBSCRIPTIONS; s++) {
      subscription(t0 + s * 60L);
    }
    for (int g = 0; g < GIFTS; g++) {
      gift(t0 + 30 + g * 60L);
    }
    for (int p = 0; p < 3; p++) {
      payout(t0 + 7_000 + p);
    }
    int unique = deliveries.size();
    for (int i = 0; i < unique; i++) {
      if (random.nextInt(100) < 30) {
        deliveries.add(deliveries.get(i));
      }
    }
    Collections.shuffle(deliveries, random);
    assertThat(deliveries.size()).isGreaterThanOrEqualTo(2_000);

    long started = System.nanoTime();
    AtomicInteger sent = new AtomicInteger();
    ExecutorService senders = Executors.newFixedThreadPool(SENDERS);
    ExecutorService faults = Executors.newSingleThreadExecutor();
    Future<Long> killed = null;
    try {
      List<Future<?>> results = new ArrayList<>();
      List<Future<Long>> crashes = new ArrayList<>();
      for (String payload : deliveries) {
        results.add(
            senders.submit(
                () -> {
                  int n = sent.incrementAndGet();
                  if (n == deliveries.size() / 3) {
                    cutTheDatabaseForAMoment();
                  } else if (n == deliveries.size() * 2 / 3) {
                    synchronized (crashes) {
                      crashes.add(faults.submit(this::killAndRestart));
                    }
                  }
                  deliverUntilAcknowledged(payload);
                  return null;
                }));
      }
      for (Future<?> result : results) {
        result.get();
      }
      synchronized (crashes) {
        assertThat(crashes).as("the server was killed once").hasSize(1);
        killed = crashes.get(0);
      }
      assertThat(killed.get())
          .as("events acknowledged before the SIGKILL and found in the inbox")
          .isPositive();
    } finally {
      senders.shutdownNow();
      faults.shutdown();
    }
    assertThat(crash).isEqualTo("restarted");

    double acknowledged = (System.nanoTime() - started) / 1e9;
    awaitEveryEventApplied();
    double applied = (System.nanoTime() - started) / 1e9;
    System.out.printf(
        "STORM %d deliveries (%d events) acknowledged in %.1f s (%.0f/s), all applied after %.1f s"
            + " (%.0f events/s)%n",
        deliveries.size(),
        eventIds.size(),
        acknowledged,
        deliveries.size() / acknowledged,
        applied,
        eventIds.size() / applied);
    for (Map.Entry<String, Map<String, Object>> expected : newest.entrySet()) {
      assertThat(
              stripe.row(
                  "SELECT status, amount, frequency, last_event_created FROM"
                      + " recurring_contribution WHERE stripe_subscription_id = ?",
                  expected.getKey()))
          .as(expected.getKey())
          .isEqualTo(expected.getValue());
    }
    String[] ids = charges.toArray(String[]::new);
    Map<String, Object> ledger =
        stripe.row(
            "SELECT"
                + " SUM(CASE WHEN type = 'PAYMENT' THEN 1 ELSE 0 END) AS payment_count,"
                + " SUM(CASE WHEN type = 'PAYMENT' THEN amount ELSE 0 END) AS payments,"
                + " SUM(CASE WHEN type = 'PAYMENT' THEN fee ELSE 0 END) AS payment_fees,"
                + " SUM(CASE WHEN type = 'REFUND' THEN 1 ELSE 0 END) AS refund_count,"
                + " SUM(CASE WHEN type = 'REFUND' THEN amount ELSE 0 END) AS refunds,"
                + " SUM(CASE WHEN type = 'DISPUTE' THEN 1 ELSE 0 END) AS dispute_count,"
                + " SUM(CASE WHEN type = 'DISPUTE' THEN amount ELSE 0 END) AS disputes,"
                + " SUM(CASE WHEN type = 'DISPUTE' THEN fee ELSE 0 END) AS dispute_fees"
                + " FROM money_movement WHERE stripe_charge_id = ANY(?)",
            (Object) ids);
    assertThat(ledger)
        .containsEntry("payment_count", paymentCount)
        .containsEntry("payments", BigDecimal.valueOf(payments))
        .containsEntry("payment_fees", BigDecimal.valueOf(paymentFees))
        .containsEntry("refund_count", refundCount)
        .containsEntry("refunds", BigDecimal.valueOf(-refunds))
        .containsEntry("dispute_count", disputeCount)
        .containsEntry("disputes", BigDecimal.valueOf(-disputes))
        .containsEntry("dispute_fees", BigDecimal.valueOf(disputeFees));

    Api finance = admin();
    String range = "from=" + day + "&to=" + day.plusDays(1) + "&tz=UTC";
    Api.Response summary = finance.get("/api/reports/summary?" + range + "&format=json");
    assertThat(summary.status()).as(summary.body()).isEqualTo(200);
    long gross = 0;
    long returned = 0;
    long fees = 0;
    long net = 0;
    for (JsonObject row : summary.json().getJsonArray("rows").getValuesAs(JsonObject.class)) {
      gross += row.getJsonNumber("gross").longValue();
      returned += row.getJsonNumber("refunds").longValue();
      fees += row.getJsonNumber("fees").longValue();
      net += row.getJsonNumber("net").longValue();
    }
    assertThat(gross).isEqualTo(payments);
    assertThat(returned).isEqualTo(refunds + disputes);
    assertThat(fees).isEqualTo(paymentFees + disputeFees);
    assertThat(net).isEqualTo(payments - refunds - disputes - paymentFees - disputeFees);

    Api.Response export = finance.get("/api/reports/transactions?" + range + "&format=csv");
    assertThat(export.status()).as(export.body()).isEqualTo(200);
    long exported = 0;
    long exportedNet = 0;
    int rows = 0;
    try (CSVParser parser =
        CSVParser.parse(
            new StringReader(export.body()),
            CSVFormat.RFC4180.builder().setHeader().setSkipHeaderRecord(true).get())) {
      for (CSVRecord record : parser) {
        exported += new BigDecimal(record.get("amount")).movePointRight(2).longValueExact();
        exportedNet += new BigDecimal(record.get("net")).movePointRight(2).longValueExact();
        rows++;
      }
    }
    assertThat(rows).isEqualTo(paymentCount + refundCount + disputeCount);
    assertThat(exported).isEqualTo(payments - refunds - disputes);
    assertThat(exportedNet).isEqualTo(net);
  }

  // ---- The generated truth ----

  private void subscription(long start) {
    String subscription = unique("sub");
    String customer = unique("cus");
    long amount = 500 + random.nextInt(40) * 25;
    boolean annual = random.nextInt(4) == 0;
    String interval = annual ? "year" : "month";
    long created = start;
    // A renewal or failure delivered before the subscription's own events makes the service ask
    // Stripe for the subscription, as it is today.
    stripe.stubObject(
        "/v1/subscriptions/" + subscription,
        StripeFixtures.subscription(
            subscription, customer, "active", amount, interval, created + 2_600_000, null));
    add(
        "customer.subscription.created",
        created,
        StripeFixtures.subscription(
            subscription, customer, "active", amount, interval, created + 2_600_000, null));
    int renewals = 8 + random.nextInt(10);
    for (int r = 0; r < renewals; r++) {
      created += 2;
      String charge = unique("ch");
      long fee = 20 + amount / 50;
      stubCharge(charge, customer, amount, fee, created);
      recordPayment(amount, fee);
      add(
          "invoice.paid",
          created,
          StripeFixtures.invoice(
              unique("in"),
              subscription,
              customer,
              "storm@b.example",
              charge,
              amount,
              created + 2_600_000));
      charges.add(charge);
      maybeRefundOrDispute(charge, amount, created);
    }
    if (random.nextBoolean()) {
      created += 2;
      add(
          "invoice.payment_failed",
          created,
          StripeFixtures.invoice(
                  unique("in"),
                  subscription,
                  customer,
                  "storm@b.example",
                  null,
                  amount,
                  created + 2_600_000)
              .replace("\"status\":\"paid\"", "\"status\":\"open\""));
    }
    created += 2;
    String[] finals = {"active", "past_due", "canceled"};
    String status = finals[random.nextInt(finals.length)];
    long finalAmount = amount + 100;
    add(
        status.equals("canceled")
            ? "customer.subscription.deleted"
            : "customer.subscription.updated",
        created,
        StripeFixtures.subscription(
            subscription, customer, status, finalAmount, interval, created + 2_600_000, null));
    Map<String, Object> state = new HashMap<>();
    state.put("status", status.toUpperCase(java.util.Locale.ROOT));
    state.put("amount", finalAmount);
    state.put("frequency", annual ? "ANNUAL" : "MONTHLY");
    state.put("last_event_created", created);
    newest.put(subscription, state);
  }

  private void gift(long created) {
    String charge = unique("ch");
    String intent = unique("pi");
    long amount = 1_000 + random.nextInt(100) * 50;
    long fee = 20 + amount / 50;
    stripe.stubObject(
        "/v1/payment_intents/" + intent,
        "{\"id\":\""
            + intent
            + "\",\"object\":\"payment_intent\",\"latest_charge\":"
            + charge(charge, intent, null, amount, fee, created)
            + "}");
    recordPayment(amount, fee);
    charges.add(charge);
    add(
        "checkout.session.completed",
        created,
        "{\"id\":\""
            + unique("cs")
            + "\",\"object\":\"checkout.session\",\"mode\":\"payment\","
            + "\"payment_status\":\"paid\",\"amount_total\":"
            + amount
            + ",\"currency\":\"gbp\",\"payment_intent\":\""
            + intent
            + "\",\"customer_details\":{\"email\":\"gift@b.example\"},\"metadata\":{}}");
    maybeRefundOrDispute(charge, amount, created);
  }

  private void maybeRefundOrDispute(String charge, long amount, long created) {
    int roll = random.nextInt(100);
    if (roll < 12) {
      long refunded = roll < 6 ? amount : amount / 2;
      String refund = unique("re");
      refunds += refunded;
      refundCount++;
      add(
          "charge.refunded",
          created + 1,
          "{\"id\":\""
              + charge
              + "\",\"object\":\"charge\",\"amount\":"
              + amount
              + ",\"amount_refunded\":"
              + refunded
              + ",\"currency\":\"gbp\",\"status\":\"succeeded\",\"refunds\":{\"object\":\"list\","
              + "\"data\":[{\"id\":\""
              + refund
              + "\",\"object\":\"refund\",\"amount\":"
              + refunded
              + ",\"status\":\"succeeded\",\"created\":"
              + (created + 1)
              + ",\"balance_transaction\":"
              + balance("txn_" + refund, -refunded, 0, "refund", created + 1)
              + "}]}}");
    } else if (roll < 16) {
      String dispute = unique("du");
      long disputeFee = 1_500;
      disputes += amount;
      disputeCount++;
      disputeFees += disputeFee;
      add(
          "charge.dispute.created",
          created + 1,
          "{\"id\":\""
              + dispute
              + "\",\"object\":\"dispute\",\"charge\":\""
              + charge
              + "\",\"amount\":"
              + amount
              + ",\"currency\":\"gbp\",\"status\":\"needs_response\",\"created\":"
              + (created + 1)
              + ",\"balance_transactions\":["
              + balance("txn_" + dispute, -amount, disputeFee, "adjustment", created + 1)
              + "]}");
    }
  }

  private void payout(long created) {
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
                            + "\"has_more\":false,\"data\":[]}")));
    add(
        "payout.paid",
        created,
        "{\"id\":\""
            + payout
            + "\",\"object\":\"payout\",\"amount\":0,\"currency\":\"gbp\",\"status\":\"paid\","
            + "\"arrival_date\":"
            + created
            + "}");
  }

  private void recordPayment(long amount, long fee) {
    payments += amount;
    paymentFees += fee;
    paymentCount++;
  }

  private void add(String type, long created, String object) {
    String id = unique("evt");
    eventIds.add(id);
    String payload = event(id, type, created, object);
    eventOf.put(payload, id);
    deliveries.add(payload);
  }

  private void stubCharge(String charge, String customer, long amount, long fee, long created) {
    stripe.stubObject(
        "/v1/charges/" + charge, charge(charge, "pi_" + charge, customer, amount, fee, created));
  }

  /** A succeeded charge with its balance transaction expanded, as Stripe returns it. */
  private static String charge(
      String id, String intent, String customer, long amount, long fee, long created) {
    return "{\"id\":\""
        + id
        + "\",\"object\":\"charge\",\"amount\":"
        + amount
        + ",\"amount_refunded\":0,\"currency\":\"gbp\",\"customer\":"
        + (customer == null ? "null" : "\"" + customer + "\"")
        + ",\"payment_intent\":\""
        + intent
        + "\",\"balance_transaction\":"
        + balance("txn_" + id, amount, fee, "charge", created)
        + ",\"status\":\"succeeded\",\"paid\":true,\"created\":"
        + created
        + ",\"billing_details\":{\"email\":null}}";
  }

  private static String balance(String id, long amount, long fee, String type, long created) {
    return "{\"id\":\""
        + id
        + "\",\"object\":\"balance_transaction\",\"amount\":"
        + amount
        + ",\"fee\":"
        + fee
        + ",\"net\":"
        + (amount - fee)
        + ",\"currency\":\"gbp\",\"type\":\""
        + type
        + "\",\"created\":"
        + created
        + "}";
  }

  // ---- Delivery as Stripe does it ----

  /**
   * Stripe retries until it gets a 2xx; a 503 while the database is away, and a refused connection
   * while the server is dead or restarting (or any answer it gives before it is ready), are
   * retried.
   */
  private void deliverUntilAcknowledged(String payload) throws InterruptedException {
    Instant deadline = Instant.now().plusSeconds(360);
    while (Instant.now().isBefore(deadline)) {
      try {
        boolean restarting = restarting();
        HttpResponse<String> response = stripe.deliver(payload);
        if (response.statusCode() == 200) {
          acknowledged.add(eventOf.get(payload));
          return;
        }
        // A restarting Payara listens before the application is deployed, answering 404.
        if (!restarting && !restarting()) {
          assertThat(response.statusCode()).as(response.body()).isEqualTo(503);
        }
      } catch (RuntimeException connectionTrouble) {
        // retried, as Stripe would
      }
      Thread.sleep(250);
    }
    throw new AssertionError("never acknowledged: " + payload.substring(0, 80));
  }

  private boolean restarting() {
    return crash.equals("killing") || crash.equals("restarting");
  }

  /**
   * Kills the server with SIGKILL while the senders are busy, checks that every event it had
   * answered 200 for is in its inbox (nothing acknowledged was lost with the process), and starts
   * it again on the same schema. Returns how many acknowledged events were checked.
   */
  private long killAndRestart() throws Exception {
    crash = "killing";
    server.kill();
    // Taken after the process is gone: every 200 counted here was sent by the dead server.
    String[] before = acknowledged.toArray(String[]::new);
    long stored =
        stripe.count("SELECT COUNT(*) FROM stripe_event WHERE id = ANY(?)", (Object) before);
    assertThat(stored)
        .as("events the killed server acknowledged that are in its inbox")
        .isEqualTo(before.length);
    crash = "restarting";
    long down = System.nanoTime();
    server.restart();
    crash = "restarted";
    System.out.printf(
        "STORM killed with SIGKILL: %d acknowledged events all in the inbox; restarted in %.1f s%n",
        stored, (System.nanoTime() - down) / 1e9);
    return stored;
  }

  private void cutTheDatabaseForAMoment() {
    try {
      server.database.cut();
      Thread.sleep(1_500);
    } catch (Exception e) {
      throw new IllegalStateException(e);
    } finally {
      try {
        server.database.restore();
      } catch (Exception e) {
        throw new IllegalStateException(e);
      }
    }
  }

  private void awaitEveryEventApplied() throws InterruptedException {
    String[] ids = eventIds.toArray(String[]::new);
    Instant deadline = Instant.now().plusSeconds(600);
    long applied = 0;
    while (Instant.now().isBefore(deadline)) {
      applied =
          stripe.count(
              "SELECT COUNT(*) FROM stripe_event WHERE status = 'APPLIED' AND id = ANY(?)",
              (Object) ids);
      if (applied == ids.length) {
        return;
      }
      Thread.sleep(1_000);
    }
    throw new AssertionError(
        applied
            + " of "
            + ids.length
            + " applied; the others: "
            + stripe.rows(
                "SELECT type, status, attempts, last_error FROM stripe_event"
                    + " WHERE status <> 'APPLIED' AND id = ANY(?) LIMIT 20",
                (Object) ids));
  }

  private Api admin() {
    Api admin = server.api();
    Api.Response signedIn = admin.signIn(TestServer.ADMIN_EMAIL, TestServer.ADMIN_PASSWORD);
    assertThat(signedIn.status()).as(signedIn.body()).isEqualTo(200);
    return admin;
  }
}
