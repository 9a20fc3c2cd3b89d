package org.newsroom.membership.donations;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.containing;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.matching;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static org.assertj.core.api.Assertions.assertThat;
import static org.newsroom.membership.testing.Await.eventually;
import static org.newsroom.membership.testing.Problems.assertValidation;
import static org.newsroom.membership.testing.StripeFixtures.event;
import static org.newsroom.membership.testing.StripeFixtures.now;
import static org.newsroom.membership.testing.StripeFixtures.unique;

import com.github.tomakehurst.wiremock.stubbing.Scenario;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import jakarta.json.JsonObject;
import jakarta.mail.Address;
import jakarta.mail.internet.MimeMessage;
import jakarta.mail.internet.MimeMultipart;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.newsroom.membership.testing.Api;
import org.newsroom.membership.testing.SharedServer;
import org.newsroom.membership.testing.StripeFixtures;
import org.newsroom.membership.testing.TestServer;

/** Checkout, a reader's contributions, and what the article-page check makes of them. */
@SharedServer
class DonationsIT {

  private static final String PASSWORD = "a perfectly long passphrase 7";

  private final TestServer server;
  private final StripeFixtures stripe;

  DonationsIT(TestServer server, StripeFixtures stripe) {
    this.server = server;
    this.stripe = stripe;
  }

  @BeforeAll
  static void stripeAnswersCheckoutSessions(TestServer server) {
    server.stripe.stubFor(
        post(urlPathEqualTo("/v1/checkout/sessions"))
            .atPriority(10)
            .willReturn(
                json(
                    "{\"id\":\"cs_test_generic\",\"object\":\"checkout.session\","
                        + "\"url\":\"https://checkout.stripe.com/c/pay/cs_test_generic\"}")));
  }

  @Test
  void theAcceptedCurrenciesAreServedWithTheirExponentAndLimits() {
    Api.Response response = server.api().get("/api/donations/currencies");
    assertThat(response.status()).as(response.body()).isEqualTo(200);
    assertThat(response.json().getJsonArray("currencies").getValuesAs(JsonObject.class))
        .extracting(c -> c.getString("code"), c -> c.getInt("currencyDecimals"))
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple("GBP", 2),
            org.assertj.core.groups.Tuple.tuple("USD", 2),
            org.assertj.core.groups.Tuple.tuple("EUR", 2));
    JsonObject gbp = response.json().getJsonArray("currencies").getJsonObject(0);
    assertThat(gbp.getJsonNumber("minAmount").longValue()).isEqualTo(100);
    assertThat(gbp.getJsonNumber("maxAmount").longValue()).isEqualTo(1_000_000);
  }

  // ---- POST /api/donations/checkout ----

  @Test
  void guestOneOffCheckoutCreatesAPaymentSessionWithAnIdempotencyKey() {
    String email = Api.uniqueEmail("guest");
    Api.Response response =
        server
            .api()
            .post(
                "/api/donations/checkout",
                "{\"amount\":500,\"currency\":\"GBP\",\"frequency\":\"ONE_OFF\",\"email\":\""
                    + email
                    + "\",\"returnUrl\":\""
                    + server.articleOrigin
                    + "/thanks\"}");
    assertThat(response.status()).as(response.body()).isEqualTo(201);
    assertThat(response.json().getString("checkoutSessionId")).isEqualTo("cs_test_generic");
    assertThat(response.json().getString("checkoutUrl")).startsWith("https://checkout.stripe.com");
    LoggedRequest request = onlySessionRequestFor(encoded(email));
    String body = decoded(request);
    assertThat(body)
        .contains("mode=payment", "customer_email=" + email, "[unit_amount]=500")
        .contains("currency]=gbp", "metadata[attemptId]=", "success_url=" + server.articleOrigin);
    assertThat(request.getHeader("Idempotency-Key")).startsWith("checkout-");
  }

  @Test
  void anUnverifiedMembersCheckoutAttachesNoStripeCustomer() {
    Api squatter = server.api();
    String email = Api.uniqueEmail("unverified");
    String memberId = squatter.register(email, PASSWORD).getString("id");

    Api.Response response =
        squatter.post(
            "/api/donations/checkout",
            "{\"amount\":1000,\"currency\":\"GBP\",\"frequency\":\"MONTHLY\"}");

    assertThat(response.status()).as(response.body()).isEqualTo(201);
    assertThat(decoded(onlySessionRequestFor(encoded(email))))
        .contains("customer_email=" + email)
        .doesNotContain("customer=cus_");
    assertThat(
            server.stripe.findAll(
                postRequestedFor(urlPathEqualTo("/v1/customers"))
                    .withHeader("Idempotency-Key", equalTo("customer-" + memberId))))
        .isEmpty();
  }

  @Test
  void memberRecurringCheckoutUsesTheMembersOneStripeCustomerEvenUnderConcurrency()
      throws Exception {
    Api reader = server.api();
    String email = Api.uniqueEmail("monthly");
    String memberId = reader.register(email, PASSWORD).getString("id");
    server.proveAddress(reader, email);
    String customer = "cus_" + memberId.replace("-", "").substring(0, 14);
    server.stripe.stubFor(
        post(urlPathEqualTo("/v1/customers"))
            .withHeader("Idempotency-Key", equalTo("customer-" + memberId))
            .atPriority(1)
            .willReturn(json("{\"id\":\"" + customer + "\",\"object\":\"customer\"}")));
    ExecutorService pool = Executors.newFixedThreadPool(4);
    try {
      List<Future<Api.Response>> responses = new ArrayList<>();
      for (int i = 0; i < 4; i++) {
        responses.add(
            pool.submit(
                () ->
                    reader.post(
                        "/api/donations/checkout",
                        "{\"amount\":1000,\"currency\":\"gbp\",\"frequency\":\"MONTHLY\"}")));
      }
      for (Future<Api.Response> r : responses) {
        assertThat(r.get().status()).as(r.get().body()).isEqualTo(201);
      }
    } finally {
      pool.shutdownNow();
    }
    assertThat(
            stripe.count(
                "SELECT COUNT(*) FROM stripe_customer WHERE member_id = ?::uuid", memberId))
        .isEqualTo(1);
    assertThat(
            server.stripe.findAll(
                postRequestedFor(urlPathEqualTo("/v1/customers"))
                    .withHeader("Idempotency-Key", equalTo("customer-" + memberId))))
        .isNotEmpty();
    List<LoggedRequest> sessions =
        server.stripe.findAll(
            postRequestedFor(urlPathEqualTo("/v1/checkout/sessions"))
                .withRequestBody(containing("customer=" + customer)));
    assertThat(sessions).hasSize(4);
    assertThat(sessions.stream().map(r -> r.getHeader("Idempotency-Key")).distinct()).hasSize(4);
    assertThat(decoded(sessions.get(0)))
        .contains(
            "mode=subscription",
            "[recurring][interval]=month",
            "subscription_data[metadata][memberId]=" + memberId,
            "metadata[memberId]=" + memberId);
  }

  @Test
  void checkoutRejectsWhatTheContractRejects() {
    Api api = server.api();
    String guest = "\"email\":\"" + Api.uniqueEmail("v") + "\"";
    assertValidation(
        api.post(
            "/api/donations/checkout",
            "{\"amount\":50,\"currency\":\"GBP\",\"frequency\":\"ONE_OFF\"," + guest + "}"),
        "amount");
    assertValidation(
        api.post(
            "/api/donations/checkout",
            "{\"amount\":2000000,\"currency\":\"GBP\",\"frequency\":\"ONE_OFF\"," + guest + "}"),
        "amount");
    assertValidation(
        api.post(
            "/api/donations/checkout",
            "{\"amount\":500,\"currency\":\"JPY\",\"frequency\":\"ONE_OFF\"," + guest + "}"),
        "currency");
    assertValidation(
        api.post(
            "/api/donations/checkout",
            "{\"amount\":500,\"currency\":\"GBP\",\"frequency\":\"MONTHLY\"}"),
        "email");
    assertValidation(
        api.post(
            "/api/donations/checkout",
            "{\"amount\":500,\"currency\":\"GBP\",\"frequency\":\"ONE_OFF\","
                + guest
                + ",\"returnUrl\":\"https://evil.example/thanks\"}"),
        "returnUrl");
    Api.Response weekly =
        api.post(
            "/api/donations/checkout",
            "{\"amount\":500,\"currency\":\"GBP\",\"frequency\":\"WEEKLY\"," + guest + "}");
    assertThat(weekly.status()).isEqualTo(400);
    assertThat(weekly.contentType()).startsWith("application/problem+json");
  }

  @Test
  void stripeFailingOnceIsRetriedWithTheSameIdempotencyKeyAndOneSessionResults() {
    String scenario = unique("flaky-checkout");
    server.stripe.stubFor(
        post(urlPathEqualTo("/v1/checkout/sessions"))
            .withRequestBody(matching(".*unit_amount(%5D|\\])=4321.*"))
            .atPriority(1)
            .inScenario(scenario)
            .whenScenarioStateIs(Scenario.STARTED)
            .willReturn(
                aResponse()
                    .withStatus(500)
                    .withHeader("Content-Type", "application/json")
                    .withBody("{\"error\":{\"type\":\"api_error\",\"message\":\"down\"}}"))
            .willSetStateTo("up"));
    server.stripe.stubFor(
        post(urlPathEqualTo("/v1/checkout/sessions"))
            .withRequestBody(matching(".*unit_amount(%5D|\\])=4321.*"))
            .atPriority(1)
            .inScenario(scenario)
            .whenScenarioStateIs("up")
            .willReturn(
                json(
                    "{\"id\":\"cs_test_4321\",\"object\":\"checkout.session\","
                        + "\"url\":\"https://checkout.stripe.com/c/pay/cs_test_4321\"}")));
    Api.Response response =
        server
            .api()
            .post(
                "/api/donations/checkout",
                "{\"amount\":4321,\"currency\":\"GBP\",\"frequency\":\"ONE_OFF\",\"email\":\""
                    + Api.uniqueEmail("retry")
                    + "\"}");
    assertThat(response.status()).as(response.body()).isEqualTo(201);
    assertThat(response.json().getString("checkoutSessionId")).isEqualTo("cs_test_4321");
    List<LoggedRequest> attempts = sessionRequestsMatching(".*unit_amount(%5D|\\])=4321.*");
    assertThat(attempts).hasSize(2);
    assertThat(attempts.get(0).getHeader("Idempotency-Key"))
        .isEqualTo(attempts.get(1).getHeader("Idempotency-Key"));
  }

  @Test
  void stripeTooSlowIsA503WithinBoundedTimeAndEveryRetryCarriesTheSameKey() {
    server.stripe.stubFor(
        post(urlPathEqualTo("/v1/checkout/sessions"))
            .withRequestBody(matching(".*unit_amount(%5D|\\])=4444.*"))
            .atPriority(1)
            .willReturn(json("{\"id\":\"cs_test_slow\",\"url\":\"x\"}").withFixedDelay(4000)));
    Instant start = Instant.now();
    Api.Response response =
        server
            .api()
            .post(
                "/api/donations/checkout",
                "{\"amount\":4444,\"currency\":\"GBP\",\"frequency\":\"ONE_OFF\",\"email\":\""
                    + Api.uniqueEmail("slow")
                    + "\"}");
    Duration took = Duration.between(start, Instant.now());
    assertThat(response.status()).as(response.body()).isEqualTo(503);
    assertThat(response.body()).contains("/problems/payments-unavailable");
    assertThat(took).isLessThan(Duration.ofSeconds(20));
    List<LoggedRequest> attempts = sessionRequestsMatching(".*unit_amount(%5D|\\])=4444.*");
    assertThat(attempts).hasSizeGreaterThanOrEqualTo(2);
    assertThat(attempts.stream().map(r -> r.getHeader("Idempotency-Key")).distinct()).hasSize(1);
  }

  @Test
  void stripeRateLimitingIsA503() {
    server.stripe.stubFor(
        post(urlPathEqualTo("/v1/checkout/sessions"))
            .withRequestBody(matching(".*unit_amount(%5D|\\])=4299.*"))
            .atPriority(1)
            .willReturn(
                aResponse()
                    .withStatus(429)
                    .withHeader("Content-Type", "application/json")
                    .withBody(
                        "{\"error\":{\"type\":\"invalid_request_error\",\"code\":"
                            + "\"rate_limit\",\"message\":\"slow down\"}}")));
    Api.Response response =
        server
            .api()
            .post(
                "/api/donations/checkout",
                "{\"amount\":4299,\"currency\":\"GBP\",\"frequency\":\"ONE_OFF\",\"email\":\""
                    + Api.uniqueEmail("limited")
                    + "\"}");
    assertThat(response.status()).as(response.body()).isEqualTo(503);
    assertThat(response.body()).contains("/problems/payments-unavailable");
  }

  @Test
  void checkoutCreationIsRateLimitedPerAddress() {
    Api api = server.api();
    String body =
        "{\"amount\":1,\"currency\":\"GBP\",\"frequency\":\"ONE_OFF\",\"email\":\"r@b.example\"}";
    Api.Response last = null;
    // Fixed 8 s windows: 70 quick requests put more than 30 into one of them.
    for (int i = 0; i < 70; i++) {
      last = api.post("/api/donations/checkout", body);
      if (last.status() == 429) {
        break;
      }
      assertThat(last.status()).isEqualTo(400);
    }
    assertThat(last.status()).isEqualTo(429);
    assertThat(last.header("Retry-After")).isNotNull();
  }

  // ---- The reader's contributions ----

  @Test
  void contributionsNeedASignedInReader() {
    assertThat(server.api().get("/api/me/contributions").status()).isEqualTo(401);
    assertThat(server.api().post("/api/me/billing-portal", "{}").status()).isEqualTo(401);
  }

  @Test
  void aPaidInvoiceMakesASupporterWhoCanChangeCancelPauseAndResume() {
    Api reader = server.api();
    String email = Api.uniqueEmail("supporter");
    String memberId = reader.register(email, PASSWORD).getString("id");
    Subscribed s = subscribe(memberId, 1000);

    eventually(
        () -> reader.get("/api/entitlements").json().getBoolean("supporter"),
        "supporter after invoice.paid");
    JsonObject entitlements = reader.get("/api/entitlements").json();
    assertThat(entitlements.getBoolean("signedIn")).isTrue();
    assertThat(entitlements.getJsonObject("recurring").getString("frequency")).isEqualTo("MONTHLY");
    assertThat(entitlements.getJsonObject("recurring").getString("status")).isEqualTo("ACTIVE");
    assertThat(entitlements.containsKey("actionRequired")).isFalse();

    JsonObject mine = reader.get("/api/me/contributions").json();
    JsonObject recurring = mine.getJsonArray("recurring").getJsonObject(0);
    String id = recurring.getString("id");
    assertThat(recurring.getInt("amount")).isEqualTo(1000);
    assertThat(recurring.getString("currency")).isEqualTo("GBP");
    assertThat(recurring.getString("status")).isEqualTo("ACTIVE");
    assertThat(recurring.getBoolean("cancelAtPeriodEnd")).isFalse();
    assertThat(recurring.getString("currentPeriodEnd")).endsWith("Z");
    JsonObject payment = mine.getJsonArray("payments").getJsonObject(0);
    assertThat(payment.getInt("amount")).isEqualTo(1000);
    assertThat(payment.getString("frequency")).isEqualTo("MONTHLY");
    assertThat(payment.getString("status")).isEqualTo("SUCCEEDED");
    assertThat(payment.getInt("refundedAmount")).isZero();

    stripe.stubObject(
        "/v1/subscriptions/" + s.subscription,
        StripeFixtures.subscription(
            s.subscription, s.customer, "active", 1000, "month", now() + 2_600_000, memberId));
    server.stripe.stubFor(
        post(urlPathEqualTo("/v1/subscriptions/" + s.subscription))
            .atPriority(1)
            .willReturn(
                json(
                    StripeFixtures.subscription(
                        s.subscription,
                        s.customer,
                        "active",
                        2000,
                        "year",
                        now() + 2_600_000,
                        memberId))));

    Api.Response changed =
        reader.patch("/api/me/contributions/" + id, "{\"amount\":2000,\"frequency\":\"MONTHLY\"}");
    assertThat(changed.status()).as(changed.body()).isEqualTo(200);
    assertThat(changed.json().getInt("amount")).isEqualTo(2000);
    assertThat(changed.json().getString("frequency")).isEqualTo("MONTHLY");
    assertThat(changed.json().isNull("changeFrom")).isTrue();
    String update = lastSubscriptionUpdate(s.subscription);
    assertThat(update)
        .contains(
            "proration_behavior=none",
            "[unit_amount]=2000",
            "[recurring][interval]=month",
            "[product]=prod_contribution",
            "items[0][id]=si_" + s.subscription);

    Api.Response cancelled =
        reader.post("/api/me/contributions/" + id + "/cancel", "{\"reason\":\"moving abroad\"}");
    assertThat(cancelled.status()).as(cancelled.body()).isEqualTo(200);
    assertThat(cancelled.json().getBoolean("cancelAtPeriodEnd")).isTrue();
    assertThat(lastSubscriptionUpdate(s.subscription)).contains("cancel_at_period_end=true");

    LocalDate resumeOn = LocalDate.now(ZoneOffset.UTC).plusMonths(1);
    Api.Response paused =
        reader.post(
            "/api/me/contributions/" + id + "/pause", "{\"resumeOn\":\"" + resumeOn + "\"}");
    assertThat(paused.status()).as(paused.body()).isEqualTo(200);
    assertThat(paused.json().getString("status")).isEqualTo("PAUSED");
    assertThat(paused.json().getString("resumesOn")).isEqualTo(resumeOn.toString());
    assertThat(lastSubscriptionUpdate(s.subscription))
        .contains(
            "pause_collection[behavior]=void",
            "pause_collection[resumes_at]="
                + resumeOn.atStartOfDay(ZoneOffset.UTC).toEpochSecond());
    eventually(
        () ->
            reader
                .get("/api/entitlements")
                .json()
                .getJsonObject("recurring")
                .getString("status")
                .equals("PAUSED"),
        "paused contribution still counts");
    assertThat(reader.get("/api/entitlements").json().getBoolean("supporter")).isTrue();

    Api.Response tooFar =
        reader.post(
            "/api/me/contributions/" + id + "/pause",
            "{\"resumeOn\":\"" + LocalDate.now(ZoneOffset.UTC).plusMonths(7) + "\"}");
    assertValidation(tooFar, "resumeOn");

    Api.Response resumed = reader.post("/api/me/contributions/" + id + "/resume");
    assertThat(resumed.status()).as(resumed.body()).isEqualTo(200);
    assertThat(resumed.json().getString("status")).isEqualTo("ACTIVE");
    assertThat(resumed.json().isNull("resumesOn")).isTrue();
    assertThat(lastSubscriptionUpdate(s.subscription)).contains("pause_collection=");

    eventually(
        () ->
            subjectsTo(email)
                .containsAll(
                    List.of(
                        "Your contribution was changed",
                        "Your contribution was cancelled",
                        "Your contribution is paused",
                        "Your contribution has resumed")),
        "a confirmation mail for each change");

    Api other = server.api();
    other.register(Api.uniqueEmail("other"), PASSWORD);
    assertThat(other.patch("/api/me/contributions/" + id, "{\"amount\":100}").status())
        .isEqualTo(404);
    assertThat(other.post("/api/me/contributions/" + id + "/cancel", "{}").status()).isEqualTo(404);

    JsonObject data = reader.get("/api/me/data").json();
    assertThat(data.getJsonArray("recurring")).hasSize(1);
    assertThat(data.getJsonArray("payments")).hasSize(1);
  }

  @Test
  void anAmountThatIsNotAJsonIntegerIsRejectedAtCheckoutAndChangeNeverRounded() {
    Api reader = server.api();
    String memberId = reader.register(Api.uniqueEmail("amounts"), PASSWORD).getString("id");
    Subscribed s = subscribe(memberId, 1000);
    String id =
        reader
            .get("/api/me/contributions")
            .json()
            .getJsonArray("recurring")
            .getJsonObject(0)
            .getString("id");
    String guest = "\"email\":\"" + Api.uniqueEmail("v") + "\"";
    for (String amount : List.of("500.5", "5e2", "500.0", "\"500\"", "true", "null", "1e400")) {
      assertValidation(
          reader.post(
              "/api/donations/checkout",
              "{\"amount\":"
                  + amount
                  + ",\"currency\":\"GBP\",\"frequency\":\"ONE_OFF\","
                  + guest
                  + "}"),
          "amount");
      assertValidation(
          reader.patch("/api/me/contributions/" + id, "{\"amount\":" + amount + "}"), "amount");
    }
    assertThat(
            server.stripe.findAll(
                postRequestedFor(urlPathEqualTo("/v1/subscriptions/" + s.subscription))))
        .isEmpty();
    assertThat(reader.get("/api/me/contributions").json().getJsonArray("recurring"))
        .singleElement()
        .satisfies(r -> assertThat(r.asJsonObject().getInt("amount")).isEqualTo(1000));
  }

  @Test
  void aChangeIsHeldToTheCurrencysLimitsLikeCheckout() {
    Api reader = server.api();
    String memberId = reader.register(Api.uniqueEmail("limits"), PASSWORD).getString("id");
    Subscribed s = subscribe(memberId, 1000);
    String id =
        reader
            .get("/api/me/contributions")
            .json()
            .getJsonArray("recurring")
            .getJsonObject(0)
            .getString("id");
    assertValidation(reader.patch("/api/me/contributions/" + id, "{\"amount\":50}"), "amount");
    assertValidation(reader.patch("/api/me/contributions/" + id, "{\"amount\":2000000}"), "amount");
    assertThat(
            server.stripe.findAll(
                postRequestedFor(urlPathEqualTo("/v1/subscriptions/" + s.subscription))))
        .isEmpty();
  }

  @Test
  void contributionChangesAreRateLimitedPerMember() {
    Api reader = server.api();
    String memberId = reader.register(Api.uniqueEmail("hasty"), PASSWORD).getString("id");
    subscribe(memberId, 1000);
    String id =
        reader
            .get("/api/me/contributions")
            .json()
            .getJsonArray("recurring")
            .getJsonObject(0)
            .getString("id");
    // 30 changes at once: more than the limit (20) within one window however slow the machine.
    java.util.concurrent.Callable<Api.Response> change =
        () -> reader.patch("/api/me/contributions/" + id, "{\"amount\":50}");
    java.util.concurrent.ExecutorService clients =
        java.util.concurrent.Executors.newFixedThreadPool(30);
    List<Api.Response> answers = new java.util.ArrayList<>();
    try {
      for (java.util.concurrent.Future<Api.Response> answer :
          clients.invokeAll(java.util.Collections.nCopies(30, change))) {
        answers.add(answer.get());
      }
    } catch (InterruptedException | java.util.concurrent.ExecutionException e) {
      throw new IllegalStateException(e);
    } finally {
      clients.shutdownNow();
    }
    Api.Response last =
        answers.stream()
            .filter(r -> r.status() == 429)
            .findFirst()
            .orElseThrow(() -> new AssertionError("no 429 among " + answers));
    assertThat(last.contentType()).startsWith("application/problem+json");
    assertThat(last.header("Retry-After")).isNotNull();
    Api other = server.api();
    other.register(Api.uniqueEmail("patient"), PASSWORD);
    assertThat(other.patch("/api/me/contributions/" + id, "{\"amount\":50}").status())
        .as("another member is not limited by this one")
        .isEqualTo(404);
  }

  @Test
  void everyLinkInEveryMailAReaderGetsAboutTheirGivingOpensAPage() throws Exception {
    Api reader = server.api();
    String email = Api.uniqueEmail("links");
    String memberId = reader.register(email, PASSWORD).getString("id");
    Subscribed s = subscribe(memberId, 1000);
    String id =
        reader
            .get("/api/me/contributions")
            .json()
            .getJsonArray("recurring")
            .getJsonObject(0)
            .getString("id");
    stripe.stubObject(
        "/v1/subscriptions/" + s.subscription,
        StripeFixtures.subscription(
            s.subscription, s.customer, "active", 1000, "month", now() + 2_600_000, memberId));
    server.stripe.stubFor(
        post(urlPathEqualTo("/v1/subscriptions/" + s.subscription))
            .atPriority(1)
            .willReturn(
                json(
                    StripeFixtures.subscription(
                        s.subscription,
                        s.customer,
                        "active",
                        1500,
                        "month",
                        now() + 2_600_000,
                        memberId))));
    assertThat(reader.patch("/api/me/contributions/" + id, "{\"amount\":1500}").status())
        .isEqualTo(200);
    LocalDate resumeOn = LocalDate.now(ZoneOffset.UTC).plusMonths(1);
    assertThat(
            reader
                .post(
                    "/api/me/contributions/" + id + "/pause", "{\"resumeOn\":\"" + resumeOn + "\"}")
                .status())
        .isEqualTo(200);
    assertThat(reader.post("/api/me/contributions/" + id + "/resume").status()).isEqualTo(200);
    assertThat(reader.post("/api/me/contributions/" + id + "/cancel").status()).isEqualTo(200);
    String failed = unique("evt");
    stripe.deliver(
        event(
            failed,
            "invoice.payment_failed",
            now(),
            StripeFixtures.invoice(
                    unique("in"), s.subscription, s.customer, email, null, 1500, now() + 2_600_000)
                .replace("\"status\":\"paid\"", "\"status\":\"open\"")));
    stripe.awaitEvent(failed, "APPLIED");
    List<String> expected =
        List.of(
            "Confirm your email address",
            "Your contribution was changed",
            "Your contribution is paused",
            "Your contribution has resumed",
            "Your contribution was cancelled",
            "Your payment did not go through");
    eventually(() -> subjectsTo(email).containsAll(expected), "every mail sent");

    Set<String> links = new TreeSet<>();
    for (MimeMessage message : server.smtp.getReceivedMessages()) {
      Address[] to = message.getAllRecipients();
      if (to != null && Arrays.stream(to).anyMatch(a -> a.toString().equalsIgnoreCase(email))) {
        Matcher m = Pattern.compile("https?://[^\\s\"<>]+").matcher(textOf(message.getContent()));
        while (m.find()) {
          links.add(m.group().replace("&amp;", "&"));
        }
      }
    }
    assertThat(links).isNotEmpty();
    assertThat(links).allMatch(link -> link.startsWith(server.baseUrl));
    for (String link : links) {
      Api.Response page = server.api().get(link.substring(server.baseUrl.length()));
      assertThat(page.status()).as(link).isEqualTo(200);
      assertThat(page.contentType()).as(link).startsWith("text/html");
    }
  }

  @Test
  void aFrequencyChangeIsScheduledForThePeriodEndAndNothingIsChargedNow() throws Exception {
    Api reader = server.api();
    String email = Api.uniqueEmail("yearly");
    String memberId = reader.register(email, PASSWORD).getString("id");
    Subscribed s = subscribe(memberId, 1000);
    String id =
        reader
            .get("/api/me/contributions")
            .json()
            .getJsonArray("recurring")
            .getJsonObject(0)
            .getString("id");
    long periodEnd = now() + 1_000_000;
    stripe.stubObject(
        "/v1/subscriptions/" + s.subscription,
        StripeFixtures.subscription(
            s.subscription, s.customer, "active", 1000, "month", periodEnd, memberId));
    String schedule = unique("sub_sched");
    String scheduleJson =
        "{\"id\":\""
            + schedule
            + "\",\"object\":\"subscription_schedule\",\"subscription\":\""
            + s.subscription
            + "\",\"end_behavior\":\"release\",\"current_phase\":{\"start_date\":"
            + (periodEnd - 2_600_000)
            + ",\"end_date\":"
            + periodEnd
            + "},\"phases\":[{\"start_date\":"
            + (periodEnd - 2_600_000)
            + ",\"end_date\":"
            + periodEnd
            + ",\"items\":[{\"price\":\"price_"
            + s.subscription
            + "\",\"quantity\":1}]}]}";
    server.stripe.stubFor(
        post(urlPathEqualTo("/v1/subscription_schedules"))
            .withRequestBody(containing("from_subscription=" + s.subscription))
            .atPriority(1)
            .willReturn(json(scheduleJson)));
    server.stripe.stubFor(
        post(urlPathEqualTo("/v1/subscription_schedules/" + schedule))
            .atPriority(1)
            .willReturn(json(scheduleJson)));

    Api.Response changed =
        reader.patch("/api/me/contributions/" + id, "{\"amount\":10000,\"frequency\":\"ANNUAL\"}");
    assertThat(changed.status()).as(changed.body()).isEqualTo(200);
    Instant from = Instant.ofEpochSecond(periodEnd);
    for (JsonObject view :
        List.of(
            changed.json(),
            reader
                .get("/api/me/contributions")
                .json()
                .getJsonArray("recurring")
                .getJsonObject(0))) {
      assertThat(view.getInt("amount")).isEqualTo(10000);
      assertThat(view.getString("frequency")).isEqualTo("ANNUAL");
      assertThat(Instant.parse(view.getString("changeFrom"))).isEqualTo(from);
      assertThat(view.getInt("amountUntilThen")).isEqualTo(1000);
      assertThat(view.getString("frequencyUntilThen")).isEqualTo("MONTHLY");
    }
    assertThat(
            server.stripe.findAll(
                postRequestedFor(urlPathEqualTo("/v1/subscriptions/" + s.subscription))))
        .as("the subscription itself is not changed, so Stripe invoices nothing now")
        .isEmpty();
    List<LoggedRequest> scheduled =
        server.stripe.findAll(
            postRequestedFor(urlPathEqualTo("/v1/subscription_schedules/" + schedule)));
    assertThat(scheduled).hasSize(1);
    assertThat(decoded(scheduled.get(0)))
        .contains(
            "end_behavior=release",
            "phases[0][items][0][price]=price_" + s.subscription,
            "phases[0][end_date]=" + periodEnd,
            "phases[0][proration_behavior]=none",
            "phases[1][items][0][price_data][unit_amount]=10000",
            "phases[1][items][0][price_data][recurring][interval]=year",
            "phases[1][duration][interval]=year",
            "phases[1][proration_behavior]=none");
    assertThat(
            stripe.row(
                "SELECT amount, frequency, pending_amount, pending_frequency"
                    + " FROM recurring_contribution WHERE id = CAST(? AS UUID)",
                id))
        .containsEntry("amount", 1000L)
        .containsEntry("frequency", "MONTHLY")
        .containsEntry("pending_amount", 10000L)
        .containsEntry("pending_frequency", "ANNUAL");
    eventually(
        () ->
            mailTextTo(email, "Your contribution was changed")
                .contains(from.toString().substring(0, 10)),
        "the mail says when the change takes effect");

    // Stripe reports the subscription (attached to its schedule) still at today's price: the
    // change stays pending. Then the schedule's next phase starts: the change is done.
    String attached = unique("evt");
    stripe.deliver(
        event(
            attached,
            "customer.subscription.updated",
            now(),
            StripeFixtures.subscription(
                s.subscription, s.customer, "active", 1000, "month", periodEnd, memberId)));
    stripe.awaitEvent(attached, "APPLIED");
    assertThat(
            reader
                .get("/api/me/contributions")
                .json()
                .getJsonArray("recurring")
                .getJsonObject(0)
                .getString("changeFrom"))
        .isNotNull();
    String switched = unique("evt");
    stripe.deliver(
        event(
            switched,
            "customer.subscription.updated",
            now() + 1,
            StripeFixtures.subscription(
                s.subscription,
                s.customer,
                "active",
                10000,
                "year",
                periodEnd + 31_536_000,
                memberId)));
    stripe.awaitEvent(switched, "APPLIED");
    JsonObject after =
        reader.get("/api/me/contributions").json().getJsonArray("recurring").getJsonObject(0);
    assertThat(after.getInt("amount")).isEqualTo(10000);
    assertThat(after.getString("frequency")).isEqualTo("ANNUAL");
    assertThat(after.isNull("changeFrom")).isTrue();
  }

  @Test
  void aContributionIsCancelledWithoutAnyBody() {
    Api reader = server.api();
    String memberId = reader.register(Api.uniqueEmail("nobody"), PASSWORD).getString("id");
    Subscribed s = subscribe(memberId, 1000);
    String id =
        reader
            .get("/api/me/contributions")
            .json()
            .getJsonArray("recurring")
            .getJsonObject(0)
            .getString("id");
    server.stripe.stubFor(
        post(urlPathEqualTo("/v1/subscriptions/" + s.subscription))
            .atPriority(1)
            .willReturn(
                json(
                    StripeFixtures.subscription(
                        s.subscription,
                        s.customer,
                        "active",
                        1000,
                        "month",
                        now() + 2_600_000,
                        memberId))));
    Api.Response cancelled = reader.post("/api/me/contributions/" + id + "/cancel");
    assertThat(cancelled.status()).as(cancelled.body()).isEqualTo(200);
    assertThat(cancelled.json().getBoolean("cancelAtPeriodEnd")).isTrue();
    assertThat(lastSubscriptionUpdate(s.subscription)).contains("cancel_at_period_end=true");
    Api.Response emptyJson =
        reader.send("POST", "/api/me/contributions/" + id + "/cancel", "", "application/json");
    assertThat(emptyJson.status()).as(emptyJson.body()).isEqualTo(200);
  }

  @Test
  void aFailedRenewalShowsPaymentFailedAndMailsOncePerAttempt() {
    Api reader = server.api();
    String email = Api.uniqueEmail("pastdue");
    String memberId = reader.register(email, PASSWORD).getString("id");
    Subscribed s = subscribe(memberId, 700);
    String failedInvoice = unique("in");
    String invoiceJson =
        "{\"id\":\""
            + failedInvoice
            + "\",\"object\":\"invoice\",\"customer\":\""
            + s.customer
            + "\",\"subscription\":\""
            + s.subscription
            + "\",\"attempt_count\":1,\"amount_paid\":0,\"amount_due\":700,"
            + "\"currency\":\"gbp\",\"status\":\"open\"}";
    String first = unique("evt");
    stripe.deliver(event(first, "invoice.payment_failed", now() + 1, invoiceJson));
    stripe.awaitEvent(first, "APPLIED");
    String again = unique("evt");
    stripe.deliver(event(again, "invoice.payment_failed", now() + 1, invoiceJson));
    stripe.awaitEvent(again, "APPLIED");

    eventually(
        () ->
            "PAYMENT_FAILED"
                .equals(reader.get("/api/entitlements").json().getString("actionRequired", null)),
        "actionRequired PAYMENT_FAILED");
    JsonObject entitlements = reader.get("/api/entitlements").json();
    assertThat(entitlements.getBoolean("supporter")).isTrue();
    assertThat(entitlements.getJsonObject("recurring").getString("status")).isEqualTo("PAST_DUE");
    eventually(() -> subjectsTo(email).contains("Your payment did not go through"), "failure mail");
    assertThat(subjectsTo(email).stream().filter("Your payment did not go through"::equals))
        .hasSize(1);
  }

  @Test
  void aGuestGiftBecomesTheMembersOnceTheyVerifyThatEmail() throws Exception {
    String email = Api.uniqueEmail("giver");
    String paymentIntent = unique("pi");
    String charge = unique("ch");
    stripe.stubObject(
        "/v1/payment_intents/" + paymentIntent,
        "{\"id\":\""
            + paymentIntent
            + "\",\"object\":\"payment_intent\",\"latest_charge\":\""
            + charge
            + "\",\"metadata\":{\"attemptId\":\"x\"}}");
    stripe.stubCharge(charge, null, 2500, 95);
    String completed = unique("evt");
    stripe.deliver(
        event(
            completed,
            "checkout.session.completed",
            now(),
            "{\"id\":\""
                + unique("cs")
                + "\",\"object\":\"checkout.session\",\"mode\":\"payment\","
                + "\"payment_status\":\"paid\",\"amount_total\":2500,\"currency\":\"gbp\","
                + "\"payment_intent\":\""
                + paymentIntent
                + "\",\"customer_details\":{\"email\":\""
                + email.toUpperCase()
                + "\"},\"metadata\":{\"attemptId\":\"x\",\"frequency\":\"ONE_OFF\"}}"));
    stripe.awaitEvent(completed, "APPLIED");
    assertThat(
            stripe.row(
                "SELECT member_id, frequency FROM payment WHERE stripe_charge_id = ?", charge))
        .containsEntry("member_id", null)
        .containsEntry("frequency", "ONE_OFF");

    Api reader = server.api();
    reader.register(email, PASSWORD);
    assertThat(reader.get("/api/me/contributions").json().getJsonArray("payments")).isEmpty();
    assertThat(reader.get("/api/entitlements").json().getBoolean("supporter")).isFalse();

    String token = verificationToken(email);
    Api.Response confirmed =
        reader.post("/api/email-verifications/confirm", "{\"token\":\"" + token + "\"}");
    assertThat(confirmed.status()).as(confirmed.body()).isEqualTo(204);

    JsonObject payments = reader.get("/api/me/contributions").json();
    assertThat(payments.getJsonArray("payments")).hasSize(1);
    assertThat(payments.getJsonArray("payments").getJsonObject(0).getString("frequency"))
        .isEqualTo("ONE_OFF");
    eventually(
        () -> reader.get("/api/entitlements").json().getBoolean("supporter"),
        "supporter once the gift is theirs");
    assertThat(reader.get("/api/entitlements").json().getBoolean("showSupportAsk")).isFalse();
  }

  @Test
  void theBillingPortalNeedsAStripeCustomer() {
    Api reader = server.api();
    String memberId = reader.register(Api.uniqueEmail("portal"), PASSWORD).getString("id");
    assertThat(reader.post("/api/me/billing-portal", "{}").status()).isEqualTo(404);

    Subscribed s = subscribe(memberId, 500);
    server.stripe.stubFor(
        post(urlPathEqualTo("/v1/billing_portal/sessions"))
            .withRequestBody(containing("customer=" + s.customer))
            .atPriority(1)
            .willReturn(
                json(
                    "{\"id\":\"bps_1\",\"object\":\"billing_portal.session\","
                        + "\"url\":\"https://billing.stripe.com/p/session/"
                        + s.customer
                        + "\"}")));
    Api.Response portal = reader.post("/api/me/billing-portal", "{}");
    assertThat(portal.status()).as(portal.body()).isEqualTo(200);
    assertThat(portal.json().getString("url"))
        .isEqualTo("https://billing.stripe.com/p/session/" + s.customer);
  }

  @Test
  void erasingAMemberCancelsTheirContributionAtStripeAndKeepsPaymentsWithoutTheirEmail() {
    Api reader = server.api();
    String memberId = reader.register(Api.uniqueEmail("leaving"), PASSWORD).getString("id");
    Subscribed s = subscribe(memberId, 600);
    server.stripe.stubFor(
        com.github.tomakehurst.wiremock.client.WireMock.delete(
                urlPathEqualTo("/v1/subscriptions/" + s.subscription))
            .atPriority(1)
            .willReturn(
                json(
                    StripeFixtures.subscription(
                        s.subscription,
                        s.customer,
                        "canceled",
                        600,
                        "month",
                        now() + 2_600_000,
                        memberId))));
    Api.Response deleted = reader.delete("/api/me", "{\"password\":\"" + PASSWORD + "\"}");
    // Fails today with an empty 400 before any application code runs: Payara's HTTP listener
    // (Grizzly) refuses a body on DELETE unless allow-payload-for-undefined-http-methods is on.
    // DELETE /api/me {password} is the contract, so this names a real gap in the deployment.
    assertThat(deleted.status()).as("DELETE /api/me answered: [%s]", deleted.body()).isEqualTo(204);
    assertThat(
            server.stripe.findAll(
                com.github.tomakehurst.wiremock.client.WireMock.deleteRequestedFor(
                    urlPathEqualTo("/v1/subscriptions/" + s.subscription))))
        .hasSize(1);
    assertThat(
            stripe.row(
                "SELECT status FROM recurring_contribution WHERE stripe_subscription_id = ?",
                s.subscription))
        .containsEntry("status", "CANCELED");
    assertThat(
            stripe.row(
                "SELECT donor_email, amount FROM payment WHERE stripe_charge_id = ?", s.charge))
        .containsEntry("donor_email", null)
        .containsEntry("amount", 600L);
  }

  // ---- Helpers ----

  private record Subscribed(String subscription, String customer, String charge) {}

  /** A monthly contribution of the member, created and paid through webhooks. */
  private Subscribed subscribe(String memberId, long amount) {
    String subscription = unique("sub");
    String customer = unique("cus");
    String created = unique("evt");
    stripe.deliver(
        event(
            created,
            "customer.subscription.created",
            now() - 10,
            StripeFixtures.subscription(
                subscription, customer, "active", amount, "month", now() + 2_600_000, memberId)));
    stripe.awaitEvent(created, "APPLIED");
    String charge = unique("ch");
    stripe.stubCharge(charge, customer, amount, 40);
    String paid = unique("evt");
    stripe.deliver(
        event(
            paid,
            "invoice.paid",
            now() - 5,
            StripeFixtures.invoice(
                unique("in"),
                subscription,
                customer,
                "someone@b.example",
                charge,
                amount,
                now() + 2_600_000)));
    stripe.awaitEvent(paid, "APPLIED");
    return new Subscribed(subscription, customer, charge);
  }

  private String lastSubscriptionUpdate(String subscription) {
    List<LoggedRequest> updates =
        server.stripe.findAll(
            postRequestedFor(urlPathEqualTo("/v1/subscriptions/" + subscription)));
    assertThat(updates).isNotEmpty();
    return decoded(updates.get(updates.size() - 1));
  }

  private List<LoggedRequest> sessionRequestsMatching(String regex) {
    return server.stripe.findAll(
        postRequestedFor(urlPathEqualTo("/v1/checkout/sessions")).withRequestBody(matching(regex)));
  }

  private LoggedRequest onlySessionRequestFor(String fragment) {
    List<LoggedRequest> requests =
        server.stripe.findAll(
            postRequestedFor(urlPathEqualTo("/v1/checkout/sessions"))
                .withRequestBody(containing(fragment)));
    assertThat(requests).hasSize(1);
    return requests.get(0);
  }

  private List<String> subjectsTo(String email) {
    List<String> subjects = new ArrayList<>();
    for (MimeMessage message : server.smtp.getReceivedMessages()) {
      try {
        Address[] to = message.getAllRecipients();
        if (to != null && Arrays.stream(to).anyMatch(a -> a.toString().equalsIgnoreCase(email))) {
          subjects.add(message.getSubject());
        }
      } catch (Exception e) {
        throw new IllegalStateException(e);
      }
    }
    return subjects;
  }

  private String verificationToken(String email) throws Exception {
    eventually(() -> subjectsTo(email).contains("Confirm your email address"), "verification mail");
    for (MimeMessage message : server.smtp.getReceivedMessages()) {
      if (message.getAllRecipients()[0].toString().equalsIgnoreCase(email)
          && "Confirm your email address".equals(message.getSubject())) {
        Object content = message.getContent();
        String text =
            content instanceof MimeMultipart multipart
                ? multipart.getBodyPart(0).getContent().toString()
                : content.toString();
        Matcher m = Pattern.compile("token=([A-Za-z0-9_%\\-]+)").matcher(text);
        assertThat(m.find()).isTrue();
        return java.net.URLDecoder.decode(m.group(1), StandardCharsets.UTF_8);
      }
    }
    throw new AssertionError("no verification mail to " + email);
  }

  private String mailTextTo(String email, String subject) {
    try {
      return mailText(email, subject);
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  private String mailText(String email, String subject) throws Exception {
    StringBuilder text = new StringBuilder();
    for (MimeMessage message : server.smtp.getReceivedMessages()) {
      Address[] to = message.getAllRecipients();
      if (to != null
          && Arrays.stream(to).anyMatch(a -> a.toString().equalsIgnoreCase(email))
          && subject.equals(message.getSubject())) {
        text.append(textOf(message.getContent()));
      }
    }
    return text.toString();
  }

  private static String textOf(Object content) throws Exception {
    if (content instanceof MimeMultipart multipart) {
      StringBuilder text = new StringBuilder();
      for (int i = 0; i < multipart.getCount(); i++) {
        text.append(textOf(multipart.getBodyPart(i).getContent())).append('\n');
      }
      return text.toString();
    }
    return String.valueOf(content);
  }

  private static String decoded(LoggedRequest request) {
    return java.net.URLDecoder.decode(request.getBodyAsString(), StandardCharsets.UTF_8);
  }

  private static String encoded(String value) {
    return URLEncoder.encode(value, StandardCharsets.UTF_8);
  }

  private static com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder json(
      String body) {
    return aResponse().withHeader("Content-Type", "application/json").withBody(body);
  }
}
