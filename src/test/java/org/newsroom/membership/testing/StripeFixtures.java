package org.newsroom.membership.testing;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.containing;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;

import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URLDecoder;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Stripe as the integration tests play it: events signed exactly as Stripe signs them, sent to the
 * webhook; canned API objects for the WireMock double; and SQL reads of the service's tables.
 */
public final class StripeFixtures {

  private static final HttpClient HTTP =
      HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

  private final TestServer server;

  public StripeFixtures(TestServer server) {
    this.server = server;
  }

  public static String unique(String prefix) {
    return prefix + "_" + UUID.randomUUID().toString().replace("-", "").substring(0, 16);
  }

  public static long now() {
    return Instant.now().getEpochSecond();
  }

  /** {@code t=<unix>,v1=<hex HMAC-SHA256(whsec_ string, "<t>.<body>")>}, as Stripe sends it. */
  public static String signature(String payload, long timestamp, String secret) {
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
      byte[] digest = mac.doFinal((timestamp + "." + payload).getBytes(StandardCharsets.UTF_8));
      return "t=" + timestamp + ",v1=" + HexFormat.of().formatHex(digest);
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  public static String event(String id, String type, long created, String object) {
    return event(id, type, created, object, false);
  }

  public static String event(
      String id, String type, long created, String object, boolean livemode) {
    return "{\"id\":\""
        + id
        + "\",\"object\":\"event\",\"api_version\":\"2026-07-29.dahlia\",\"created\":"
        + created
        + ",\"livemode\":"
        + livemode
        + ",\"pending_webhooks\":1,\"type\":\""
        + type
        + "\",\"data\":{\"object\":"
        + object
        + "}}";
  }

  /** Sends a correctly signed event. */
  public HttpResponse<String> deliver(String payload) {
    return deliver(payload, signature(payload, now(), TestServer.STRIPE_WEBHOOK_SECRET));
  }

  public HttpResponse<String> deliver(String payload, String signatureHeader) {
    HttpRequest.Builder request =
        HttpRequest.newBuilder(URI.create(server.baseUrl + "/api/stripe/webhook"))
            .timeout(Duration.ofSeconds(30))
            .header("Content-Type", "application/json; charset=utf-8")
            .POST(HttpRequest.BodyPublishers.ofString(payload));
    if (signatureHeader != null) {
      request.header("Stripe-Signature", signatureHeader);
    }
    try {
      return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  // ---- Canned Stripe objects ----

  public static String subscription(
      String id,
      String customer,
      String status,
      long amount,
      String interval,
      long periodEnd,
      String memberId) {
    return "{\"id\":\""
        + id
        + "\",\"object\":\"subscription\",\"customer\":\""
        + customer
        + "\",\"status\":\""
        + status
        + "\",\"cancel_at_period_end\":false,\"start_date\":"
        + (periodEnd - 2_600_000)
        + ",\"pause_collection\":null,\"currency\":\"gbp\",\"metadata\":{"
        + (memberId == null ? "" : "\"memberId\":\"" + memberId + "\"")
        + "},\"items\":{\"object\":\"list\",\"data\":[{\"id\":\"si_"
        + id
        + "\",\"object\":\"subscription_item\",\"current_period_end\":"
        + periodEnd
        + ",\"price\":{\"id\":\"price_"
        + id
        + "\",\"object\":\"price\",\"currency\":\"gbp\",\"unit_amount\":"
        + amount
        + ",\"product\":\"prod_contribution\",\"recurring\":{\"interval\":\""
        + interval
        + "\",\"interval_count\":1}}}]}}";
  }

  public static String invoice(
      String id,
      String subscription,
      String customer,
      String email,
      String charge,
      long amount,
      long periodEnd) {
    return "{\"id\":\""
        + id
        + "\",\"object\":\"invoice\",\"customer\":\""
        + customer
        + "\",\"customer_email\":\""
        + email
        + "\",\"subscription\":\""
        + subscription
        + "\",\"charge\":"
        + (charge == null ? "null" : "\"" + charge + "\"")
        + ",\"amount_paid\":"
        + amount
        + ",\"amount_due\":"
        + amount
        + ",\"attempt_count\":1,\"currency\":\"gbp\",\"status\":\"paid\",\"created\":"
        + now()
        + ",\"lines\":{\"object\":\"list\",\"data\":[{\"period\":{\"start\":"
        + (periodEnd - 2_600_000)
        + ",\"end\":"
        + periodEnd
        + "}}]}}";
  }

  public static String charge(
      String id, String paymentIntent, String customer, long amount, String balanceTransaction) {
    return "{\"id\":\""
        + id
        + "\",\"object\":\"charge\",\"amount\":"
        + amount
        + ",\"amount_refunded\":0,\"currency\":\"gbp\",\"customer\":"
        + (customer == null ? "null" : "\"" + customer + "\"")
        + ",\"payment_intent\":\""
        + paymentIntent
        + "\",\"balance_transaction\":\""
        + balanceTransaction
        + "\",\"status\":\"succeeded\",\"paid\":true,\"created\":"
        + now()
        + ",\"billing_details\":{\"email\":null}}";
  }

  public static String balanceTransaction(String id, long amount, long fee, String type) {
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
        + now()
        + "}";
  }

  /**
   * Stripe's double answers the Checkout Session create that names {@code value} (a donor's email
   * or member id, as the service sends it) with session {@code session}, whose page is {@code url}.
   */
  public void stubCheckoutSession(String session, String value, String url) {
    server.stripe.stubFor(
        post(urlPathEqualTo("/v1/checkout/sessions"))
            .withRequestBody(containing(formEncoded(value)))
            .atPriority(1)
            .willReturn(
                aResponse()
                    .withHeader("Content-Type", "application/json")
                    .withBody(
                        "{\"id\":\""
                            + session
                            + "\",\"object\":\"checkout.session\",\"url\":\""
                            + url
                            + "\"}")));
  }

  /**
   * The Checkout Session create the double received that names {@code value}; a slow answer may
   * have been retried, but always as the same request (one idempotency key), so there is one.
   */
  public LoggedRequest lastCheckoutSessionFor(String value) {
    List<LoggedRequest> requests =
        server.stripe.findAll(
            postRequestedFor(urlPathEqualTo("/v1/checkout/sessions"))
                .withRequestBody(containing(formEncoded(value))));
    if (requests.isEmpty()) {
      throw new AssertionError("Stripe was asked for no Checkout Session naming " + value);
    }
    if (requests.stream().map(r -> r.getHeader("Idempotency-Key")).distinct().count() != 1) {
      throw new AssertionError("More than one Checkout Session was asked for " + value);
    }
    return requests.get(requests.size() - 1);
  }

  /** A request's form body as the service sent it, decoded. */
  public static String formBody(LoggedRequest request) {
    return URLDecoder.decode(request.getBodyAsString(), StandardCharsets.UTF_8);
  }

  public static String formEncoded(String value) {
    return URLEncoder.encode(value, StandardCharsets.UTF_8);
  }

  /** Stripe answers an update of the paid subscription with it at {@code amount} a month. */
  public void stubSubscriptionUpdate(Paid paid, long amount, String memberId) {
    server.stripe.stubFor(
        post(urlPathEqualTo("/v1/subscriptions/" + paid.subscription()))
            .atPriority(1)
            .willReturn(
                aResponse()
                    .withHeader("Content-Type", "application/json")
                    .withBody(
                        subscription(
                            paid.subscription(),
                            paid.customer(),
                            "active",
                            amount,
                            "month",
                            now() + 2_600_000,
                            memberId))));
  }

  /** Stubs GET of one Stripe object by its path, e.g. {@code /v1/charges/ch_1}. */
  public void stubObject(String path, String json) {
    server.stripe.stubFor(
        get(urlPathEqualTo(path))
            .atPriority(5)
            .willReturn(aResponse().withHeader("Content-Type", "application/json").withBody(json)));
  }

  /** A paid invoice's charge and its balance transaction, as Stripe's API returns them. */
  /** As below, paid with a card that works until the end of {@code cardExpiry}. */
  public void stubCharge(
      String chargeId, String customer, long amount, long fee, java.time.YearMonth cardExpiry) {
    String bt = "txn_" + chargeId;
    String charge = charge(chargeId, "pi_" + chargeId, customer, amount, bt);
    stubObject(
        "/v1/charges/" + chargeId,
        charge.substring(0, charge.length() - 1)
            + ",\"payment_method_details\":{\"type\":\"card\",\"card\":{\"brand\":\"visa\","
            + "\"last4\":\"4242\",\"exp_month\":"
            + cardExpiry.getMonthValue()
            + ",\"exp_year\":"
            + cardExpiry.getYear()
            + "}}}");
    stubObject("/v1/balance_transactions/" + bt, balanceTransaction(bt, amount, fee, "charge"));
  }

  public void stubCharge(String chargeId, String customer, long amount, long fee) {
    String bt = "txn_" + chargeId;
    stubObject("/v1/charges/" + chargeId, charge(chargeId, "pi_" + chargeId, customer, amount, bt));
    stubObject("/v1/balance_transactions/" + bt, balanceTransaction(bt, amount, fee, "charge"));
  }

  // ---- Reading the service's tables ----

  public List<Map<String, Object>> rows(String sql, Object... params) {
    try (Connection c = Postgres.connect(server.schema);
        PreparedStatement s = c.prepareStatement(sql)) {
      for (int i = 0; i < params.length; i++) {
        s.setObject(i + 1, params[i]);
      }
      try (ResultSet r = s.executeQuery()) {
        ResultSetMetaData meta = r.getMetaData();
        List<Map<String, Object>> rows = new ArrayList<>();
        while (r.next()) {
          Map<String, Object> row = new LinkedHashMap<>();
          for (int i = 1; i <= meta.getColumnCount(); i++) {
            row.put(meta.getColumnLabel(i).toLowerCase(), r.getObject(i));
          }
          rows.add(row);
        }
        return rows;
      }
    } catch (SQLException e) {
      throw new IllegalStateException(sql, e);
    }
  }

  public Map<String, Object> row(String sql, Object... params) {
    List<Map<String, Object>> rows = rows(sql, params);
    return rows.isEmpty() ? null : rows.get(0);
  }

  public long count(String sql, Object... params) {
    return ((Number) rows(sql, params).get(0).values().iterator().next()).longValue();
  }

  /** A monthly subscription and its paid first invoice, as their webhooks deliver them. */
  public record Paid(String subscription, String customer, String invoice, String charge) {}

  /** The member's monthly contribution, created and paid through signed webhooks (GBP). */
  public Paid paidSubscription(String memberId, long amount) {
    return paidSubscription(memberId, "payer@b.example", amount, now() + 2_600_000, null);
  }

  /**
   * A monthly GBP contribution (a guest's when {@code memberId} is null, reached at {@code email})
   * that renews at {@code periodEnd}, paid once with a card working until the end of {@code card}
   * (null: the charge names no card).
   */
  public Paid paidSubscription(
      String memberId, String email, long amount, long periodEnd, java.time.YearMonth card) {
    String subscription = unique("sub");
    String customer = unique("cus");
    String created = unique("evt");
    deliver(
        event(
            created,
            "customer.subscription.created",
            now() - 10,
            subscription(subscription, customer, "active", amount, "month", periodEnd, memberId)));
    awaitEvent(created, "APPLIED");
    String charge = unique("ch");
    if (card == null) {
      stubCharge(charge, customer, amount, 40);
    } else {
      stubCharge(charge, customer, amount, 40, card);
    }
    String invoice = unique("in");
    String paid = unique("evt");
    deliver(
        event(
            paid,
            "invoice.paid",
            now() - 5,
            invoice(invoice, subscription, customer, email, charge, amount, periodEnd)));
    awaitEvent(paid, "APPLIED");
    return new Paid(subscription, customer, invoice, charge);
  }

  /** Waits until the stored event reached the given status. */
  public void awaitEvent(String eventId, String status) {
    Await.eventually(
        () -> {
          Map<String, Object> row = row("SELECT status FROM stripe_event WHERE id = ?", eventId);
          return row != null && status.equals(row.get("status"));
        },
        "event " + eventId + " " + status);
  }
}
