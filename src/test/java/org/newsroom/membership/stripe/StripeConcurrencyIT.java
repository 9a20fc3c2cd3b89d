package org.newsroom.membership.stripe;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static org.assertj.core.api.Assertions.assertThat;
import static org.newsroom.membership.testing.Await.eventually;
import static org.newsroom.membership.testing.StripeFixtures.event;
import static org.newsroom.membership.testing.StripeFixtures.now;
import static org.newsroom.membership.testing.StripeFixtures.unique;

import java.net.http.HttpResponse;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.newsroom.membership.testing.Await;
import org.newsroom.membership.testing.Postgres;
import org.newsroom.membership.testing.SharedServer;
import org.newsroom.membership.testing.StripeFixtures;
import org.newsroom.membership.testing.TestServer;

/** Events of one subscription applied side by side by the worker's appliers, in any order. */
@SharedServer
class StripeConcurrencyIT {

  private static final int SUBSCRIPTIONS = 3;
  private static final int EVENTS_EACH = 32;

  private final TestServer server;
  private final StripeFixtures stripe;

  StripeConcurrencyIT(TestServer server, StripeFixtures stripe) {
    this.server = server;
    this.stripe = stripe;
  }

  /**
   * Half the events are renewals whose charge Stripe answers slowly, so appliers hold them open
   * while the subscription's other events are applied beside them: the newest event must still be
   * what the row shows at the end.
   */
  @Test
  void shuffledConcurrentEventsOfASubscriptionEndInItsNewestState() throws Exception {
    long base = now() - 1_000;
    List<String> subscriptions = new ArrayList<>();
    List<String> payloads = new ArrayList<>();
    List<String> ids = new ArrayList<>();
    for (int s = 0; s < SUBSCRIPTIONS; s++) {
      String subscription = unique("sub");
      String customer = unique("cus");
      subscriptions.add(subscription);
      stripe.stubObject(
          "/v1/subscriptions/" + subscription,
          StripeFixtures.subscription(
              subscription, customer, "active", 1_000, "month", base + 2_600_000, null));
      for (int i = 0; i < EVENTS_EACH; i++) {
        String id = unique("evt");
        ids.add(id);
        long created = base + i;
        if (i % 2 == 0) {
          String charge = unique("ch");
          slowCharge(charge, customer, 1_000);
          payloads.add(
              event(
                  id,
                  "invoice.paid",
                  created,
                  StripeFixtures.invoice(
                      unique("in"),
                      subscription,
                      customer,
                      "renewals@b.example",
                      charge,
                      1_000,
                      created + 2_600_000)));
        } else {
          payloads.add(
              event(
                  id,
                  "customer.subscription.updated",
                  created,
                  StripeFixtures.subscription(
                      subscription,
                      customer,
                      i % 4 == 3 ? "past_due" : "active",
                      1_000 + i,
                      "month",
                      created + 2_600_000,
                      null)));
        }
      }
    }
    Collections.shuffle(payloads, new Random(11));

    ExecutorService senders = Executors.newFixedThreadPool(24);
    try {
      List<Future<HttpResponse<String>>> responses = new ArrayList<>();
      for (String payload : payloads) {
        responses.add(senders.submit(() -> stripe.deliver(payload)));
      }
      for (Future<HttpResponse<String>> response : responses) {
        assertThat(response.get().statusCode()).isEqualTo(200);
      }
    } finally {
      senders.shutdownNow();
    }

    awaitApplied(ids);
    int newest = EVENTS_EACH - 1;
    Map<String, Object> expected =
        Map.of(
            "status",
            newest % 4 == 3 ? "PAST_DUE" : "ACTIVE",
            "amount",
            1_000L + newest,
            "last_event_created",
            base + newest,
            "period_end",
            base + newest + 2_600_000,
            "payments",
            (long) EVENTS_EACH / 2);
    for (String subscription : subscriptions) {
      Map<String, Object> row =
          stripe.row(
              "SELECT c.status, c.amount, c.last_event_created,"
                  + " CAST(EXTRACT(EPOCH FROM c.current_period_end) AS BIGINT) AS period_end,"
                  + " (SELECT COUNT(*) FROM payment p WHERE p.recurring_id = c.id) AS payments"
                  + " FROM recurring_contribution c WHERE c.stripe_subscription_id = ?",
              subscription);
      assertThat(row).as(subscription).isEqualTo(expected);
    }
  }

  /**
   * While Stripe is slow to answer what an event needs, the event's row is not locked (nor is any
   * transaction open for it): the Stripe read happens before the short transaction that applies.
   */
  @Test
  void stripeIsReadBeforeTheTransactionThatAppliesTheEvent() throws Exception {
    String subscription = unique("sub");
    String customer = unique("cus");
    String created = unique("evt");
    stripe.deliver(
        event(
            created,
            "customer.subscription.created",
            now() - 10,
            StripeFixtures.subscription(
                subscription, customer, "active", 700, "month", now() + 2_600_000, null)));
    stripe.awaitEvent(created, "APPLIED");
    String charge = unique("ch");
    String bt = "txn_" + charge;
    server.stripe.stubFor(
        get(urlPathEqualTo("/v1/charges/" + charge))
            .atPriority(5)
            .willReturn(
                aResponse()
                    .withFixedDelay(1_200)
                    .withHeader("Content-Type", "application/json")
                    .withBody(StripeFixtures.charge(charge, "pi_" + charge, customer, 700, bt))));
    stripe.stubObject(
        "/v1/balance_transactions/" + bt, StripeFixtures.balanceTransaction(bt, 700, 30, "charge"));
    String paid = unique("evt");
    stripe.deliver(
        event(
            paid,
            "invoice.paid",
            now(),
            StripeFixtures.invoice(
                unique("in"),
                subscription,
                customer,
                "slow@b.example",
                charge,
                700,
                now() + 2_600_000)));

    eventually(
        () ->
            !server
                .stripe
                .findAll(getRequestedFor(urlPathEqualTo("/v1/charges/" + charge)))
                .isEmpty(),
        "the charge is asked for");
    try (Connection c = Postgres.connect(server.schema)) {
      c.setAutoCommit(false);
      try (PreparedStatement lock =
          c.prepareStatement("SELECT id FROM stripe_event WHERE id = ? FOR UPDATE NOWAIT")) {
        lock.setString(1, paid);
        lock.executeQuery().close();
      } finally {
        c.rollback();
      }
    }
    stripe.awaitEvent(paid, "APPLIED");
    assertThat(stripe.count("SELECT COUNT(*) FROM payment WHERE stripe_charge_id = ?", charge))
        .isEqualTo(1);
  }

  /** Waits until every event is applied; on time-out, says where the others are. */
  private void awaitApplied(List<String> ids) {
    String[] array = ids.toArray(String[]::new);
    Await.until(
        Duration.ofSeconds(90),
        () ->
            stripe.count(
                "SELECT COUNT(*) FROM stripe_event WHERE status = 'APPLIED' AND id = ANY(?)",
                (Object) array),
        applied -> applied == ids.size(),
        () ->
            "all applied; the others: "
                + stripe.rows(
                    "SELECT status, attempts, last_error FROM stripe_event"
                        + " WHERE status <> 'APPLIED' AND id = ANY(?)",
                    (Object) array));
  }

  /** A renewal's charge and balance transaction, which Stripe takes a moment to answer. */
  private void slowCharge(String chargeId, String customer, long amount) {
    String bt = "txn_" + chargeId;
    server.stripe.stubFor(
        get(urlPathEqualTo("/v1/charges/" + chargeId))
            .atPriority(5)
            .willReturn(
                aResponse()
                    .withFixedDelay(300)
                    .withHeader("Content-Type", "application/json")
                    .withBody(
                        StripeFixtures.charge(chargeId, "pi_" + chargeId, customer, amount, bt))));
    stripe.stubObject(
        "/v1/balance_transactions/" + bt,
        StripeFixtures.balanceTransaction(bt, amount, 40, "charge"));
  }
}
