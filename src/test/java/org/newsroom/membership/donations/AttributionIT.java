package org.newsroom.membership.donations;

import static com.github.tomakehurst.wiremock.client.WireMock.containing;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static org.assertj.core.api.Assertions.assertThat;
import static org.newsroom.membership.testing.StripeFixtures.event;
import static org.newsroom.membership.testing.StripeFixtures.formBody;
import static org.newsroom.membership.testing.StripeFixtures.now;
import static org.newsroom.membership.testing.StripeFixtures.unique;

import jakarta.json.JsonObject;
import java.io.IOException;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVParser;
import org.apache.commons.csv.CSVRecord;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.newsroom.membership.testing.Api;
import org.newsroom.membership.testing.SharedServer;
import org.newsroom.membership.testing.StripeFixtures;
import org.newsroom.membership.testing.TestServer;

/**
 * Where a gift came from, from the checkout request through Stripe's metadata and the signed
 * webhook to the transactions export and the dashboard; renewals keep their contribution's origin.
 */
@SharedServer
class AttributionIT {

  private static TestServer server;
  private static StripeFixtures stripe;
  private static Api finance;

  @BeforeAll
  static void financeMember(TestServer server, StripeFixtures stripe) {
    AttributionIT.server = server;
    AttributionIT.stripe = stripe;
    finance = server.staffMember("attribution-finance", "FINANCE").api();
  }

  @Test
  void aOneOffGiftKeepsItsArticleAndCampaignThroughTheWebhookIntoTheExportAndDashboard()
      throws IOException {
    String campaign = unique("spring");
    String article = server.articleOrigin + "/2026/12/03/" + campaign + "-story";
    String email = Api.uniqueEmail("attributed");
    String session = unique("cs");
    stripe.stubCheckoutSession(session, email, "https://checkout.stripe.com/c/pay/" + session);
    Api.Response created =
        server
            .api()
            .post(
                "/api/donations/checkout",
                "{\"amount\":2500,\"currency\":\"GBP\",\"frequency\":\"ONE_OFF\",\"email\":\""
                    + email
                    + "\",\"source\":{\"articleUrl\":\""
                    + article
                    + "?utm_source=x#comments\",\"campaign\":\""
                    + campaign
                    + "\",\"utmSource\":\"newsletter\",\"utmMedium\":\"email\","
                    + "\"utmCampaign\":\"Winter appeal 2026\"}}");
    assertThat(created.status()).as(created.body()).isEqualTo(201);

    // Stripe is told, on the session and on the payment intent.
    String sent = formBody(stripe.lastCheckoutSessionFor(email));
    assertThat(sent)
        .contains(
            "metadata[sourceArticleUrl]=" + article,
            "metadata[sourceCampaign]=" + campaign,
            "payment_intent_data[metadata][utmSource]=newsletter",
            "payment_intent_data[metadata][utmCampaign]=Winter appeal 2026");
    assertThat(
            stripe.row(
                "SELECT source_article_url, source_campaign, utm_medium FROM checkout_attempt"
                    + " WHERE checkout_session_id = ?",
                session))
        .containsEntry("source_article_url", article)
        .containsEntry("source_campaign", campaign)
        .containsEntry("utm_medium", "email");

    // The webhook carries the session's metadata back.
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
                + session
                + "\",\"object\":\"checkout.session\",\"mode\":\"payment\","
                + "\"payment_status\":\"paid\",\"amount_total\":2500,\"currency\":\"gbp\","
                + "\"payment_intent\":\""
                + paymentIntent
                + "\",\"customer_details\":{\"email\":\""
                + email
                + "\"},\"metadata\":{\"attemptId\":\"x\",\"frequency\":\"ONE_OFF\","
                + "\"sourceArticleUrl\":\""
                + article
                + "\",\"sourceCampaign\":\""
                + campaign
                + "\",\"utmSource\":\"newsletter\",\"utmMedium\":\"email\","
                + "\"utmCampaign\":\"Winter appeal 2026\"}}"));
    stripe.awaitEvent(completed, "APPLIED");

    CSVRecord row = exportRow(charge, "PAYMENT");
    assertThat(row.get("sourceArticleUrl")).isEqualTo(article);
    assertThat(row.get("sourceCampaign")).isEqualTo(campaign);
    assertThat(row.get("utmSource")).isEqualTo("newsletter");
    assertThat(row.get("utmMedium")).isEqualTo("email");
    assertThat(row.get("utmCampaign")).isEqualTo("Winter appeal 2026");

    JsonObject gbp = dashboardCurrency("GBP");
    assertThat(origin(gbp, "topCampaigns", campaign))
        .containsEntry("payments", 1L)
        .containsEntry("gross", 2500L)
        .containsEntry("net", 2405L)
        .containsEntry("newSupporters", 1L);
    assertThat(origin(gbp, "topArticles", article)).containsEntry("gross", 2500L);
  }

  @Test
  void aRenewalKeepsItsContributionsOriginWhateverOrderTheEventsCameIn() throws IOException {
    String campaign = unique("monthly");
    String subscription = unique("sub");
    String customer = unique("cus");
    // Stripe's subscription as the API returns it: metadata as the checkout set it.
    stripe.stubObject(
        "/v1/subscriptions/" + subscription,
        StripeFixtures.subscription(
            subscription, customer, "active", 700, "month", now() + 2_600_000, null));
    // The first invoice is applied before the checkout's completion.
    String firstCharge = unique("ch");
    stripe.stubCharge(firstCharge, customer, 700, 30);
    String firstPaid = unique("evt");
    stripe.deliver(
        event(
            firstPaid,
            "invoice.paid",
            now() - 5,
            StripeFixtures.invoice(
                unique("in"),
                subscription,
                customer,
                "renewing@donors.example",
                firstCharge,
                700,
                now() + 2_600_000)));
    stripe.awaitEvent(firstPaid, "APPLIED");
    assertThat(exportRow(firstCharge, "PAYMENT").get("sourceCampaign")).isEmpty();

    String completed = unique("evt");
    stripe.deliver(
        event(
            completed,
            "checkout.session.completed",
            now() - 4,
            "{\"id\":\""
                + unique("cs")
                + "\",\"object\":\"checkout.session\",\"mode\":\"subscription\","
                + "\"payment_status\":\"paid\",\"amount_total\":700,\"currency\":\"gbp\","
                + "\"subscription\":\""
                + subscription
                + "\",\"customer\":\""
                + customer
                + "\",\"customer_details\":{\"email\":\"renewing@donors.example\"},"
                + "\"metadata\":{\"attemptId\":\"y\",\"frequency\":\"MONTHLY\","
                + "\"sourceCampaign\":\""
                + campaign
                + "\",\"utmSource\":\"homepage\"}}"));
    stripe.awaitEvent(completed, "APPLIED");
    assertThat(
            stripe.row(
                "SELECT source_campaign, utm_source FROM recurring_contribution"
                    + " WHERE stripe_subscription_id = ?",
                subscription))
        .containsEntry("source_campaign", campaign)
        .containsEntry("utm_source", "homepage");
    assertThat(exportRow(firstCharge, "PAYMENT").get("sourceCampaign")).isEqualTo(campaign);

    // A month later: the renewal's invoice carries no metadata of its own.
    String renewalCharge = unique("ch");
    stripe.stubCharge(renewalCharge, customer, 700, 30);
    String renewed = unique("evt");
    stripe.deliver(
        event(
            renewed,
            "invoice.paid",
            now(),
            StripeFixtures.invoice(
                unique("in"),
                subscription,
                customer,
                "renewing@donors.example",
                renewalCharge,
                700,
                now() + 5_200_000)));
    stripe.awaitEvent(renewed, "APPLIED");
    CSVRecord renewal = exportRow(renewalCharge, "PAYMENT");
    assertThat(renewal.get("sourceCampaign")).isEqualTo(campaign);
    assertThat(renewal.get("utmSource")).isEqualTo("homepage");

    // Money raised counts both payments; the new supporter once (the contribution started).
    assertThat(origin(dashboardCurrency("GBP"), "topCampaigns", campaign))
        .containsEntry("payments", 2L)
        .containsEntry("gross", 1400L)
        .containsEntry("newSupporters", 1L);
  }

  @Test
  void aSourceThatIsNotOursOrNotPlainTextIsAClear400() {
    String email = Api.uniqueEmail("badsource");
    Api.Response response =
        server
            .api()
            .post(
                "/api/donations/checkout",
                "{\"amount\":500,\"currency\":\"GBP\",\"frequency\":\"ONE_OFF\",\"email\":\""
                    + email
                    + "\",\"source\":{\"articleUrl\":\"https://evil.example/story\","
                    + "\"campaign\":\""
                    + "c".repeat(101)
                    + "\",\"utmSource\":\"<script>\",\"utmMedium\":\"javascript:alert(1)\\u0000\"}}");
    assertThat(response.status()).as(response.body()).isEqualTo(400);
    assertThat(response.json().getJsonArray("errors").getValuesAs(JsonObject.class))
        .extracting(e -> e.getString("field"))
        .containsExactlyInAnyOrder(
            "source.articleUrl", "source.campaign", "source.utmSource", "source.utmMedium");
    Api.Response notAUrl =
        server
            .api()
            .post(
                "/api/donations/checkout",
                "{\"amount\":500,\"currency\":\"GBP\",\"frequency\":\"ONE_OFF\",\"email\":\""
                    + email
                    + "\",\"source\":{\"articleUrl\":\"javascript:alert(1)\"}}");
    assertThat(notAUrl.status()).isEqualTo(400);
    assertThat(
            server.stripe.findAll(
                postRequestedFor(urlPathEqualTo("/v1/checkout/sessions"))
                    .withRequestBody(containing(StripeFixtures.formEncoded(email)))))
        .isEmpty();
  }

  @Test
  void theSummaryByCampaignAndByArticleEqualsTheExportsRowsOfEachOrigin() throws IOException {
    String spring = unique("spring");
    String autumn = unique("autumn");
    String story = server.articleOrigin + "/2026/12/04/" + spring + "-story";
    String column = server.articleOrigin + "/2026/12/04/" + autumn + "-column";
    give(2500, 95, spring, story);
    give(1000, 50, spring, column);
    // A refund is a row of its gift's origin too.
    refund(give(4000, 130, autumn, story), 4000, 1500);

    for (String[] split :
        List.of(
            new String[] {"campaign", "sourceCampaign", spring, autumn},
            new String[] {"article", "sourceArticleUrl", story, column})) {
      String by = split[0];
      String field = split[1];
      List<JsonObject> rows =
          finance
              .get(summaryPath("&by=" + by + "&groupBy=month"))
              .json()
              .getJsonArray("rows")
              .getValuesAs(JsonObject.class);
      List<CSVRecord> export = exportRows();
      for (String origin : List.of(split[2], split[3])) {
        List<JsonObject> summed =
            rows.stream().filter(r -> origin.equals(r.getString(field, null))).toList();
        List<CSVRecord> exported =
            export.stream().filter(r -> r.get(field).equals(origin)).toList();
        assertThat(exported).as(by + " " + origin).isNotEmpty();
        assertThat(summed).as(by + " " + origin).isNotEmpty();
        assertThat(sum(summed, "count"))
            .isEqualTo(exported.stream().filter(r -> r.get("type").equals("PAYMENT")).count());
        assertThat(sum(summed, "net")).isEqualTo(minor(exported, "net"));
        assertThat(sum(summed, "fees")).isEqualTo(minor(exported, "fee"));
        assertThat(sum(summed, "gross") - sum(summed, "refunds"))
            .isEqualTo(minor(exported, "amount"));
      }
      assertThat(
              rows.stream()
                  .filter(r -> split[2].equals(r.getString(field, null)))
                  .mapToLong(r -> r.getJsonNumber("gross").longValue())
                  .sum())
          .isEqualTo(by.equals("campaign") ? 3500 : 6500);
      assertThat(
              rows.stream()
                  .filter(r -> split[3].equals(r.getString(field, null)))
                  .mapToLong(r -> r.getJsonNumber("refunds").longValue())
                  .sum())
          .isEqualTo(by.equals("campaign") ? 1500 : 0);
      // Split or not, the summary's totals are the same.
      List<JsonObject> whole =
          finance
              .get(summaryPath("&groupBy=month"))
              .json()
              .getJsonArray("rows")
              .getValuesAs(JsonObject.class);
      assertThat(sum(rows, "net")).isEqualTo(sum(whole, "net"));
      assertThat(sum(rows, "count")).isEqualTo(sum(whole, "count"));
      assertThat(whole).allMatch(r -> !r.containsKey("sourceCampaign"));

      // The spreadsheet formats carry the origin as a column after frequency.
      String csv = finance.get(summaryPath("&by=" + by + "&format=csv")).body();
      assertThat(csv.lines().findFirst().orElseThrow())
          .startsWith("period,currency,frequency," + field + ",count");
      assertThat(csv).contains(split[2]);
    }
  }

  @Test
  void aSummarySplitByAnythingButCampaignOrArticleIsAProblemNamingTheField() {
    Api.Response response = finance.get(summaryPath("&by=utmSource"));
    assertThat(response.status()).isEqualTo(400);
    assertThat(response.header("Content-Type")).startsWith("application/problem+json");
    assertThat(response.json().getJsonArray("errors").getValuesAs(JsonObject.class))
        .extracting(e -> e.getString("field"))
        .containsExactly("by");
  }

  // ---------------------------------------------------------------- helpers

  /** A one-off GBP gift through checkout and its signed webhook; Stripe keeps {@code fee}. */
  private static String give(long amount, long fee, String campaign, String article) {
    String email = Api.uniqueEmail("split");
    String session = unique("cs");
    stripe.stubCheckoutSession(session, email, "https://checkout.stripe.com/c/pay/" + session);
    Api.Response created =
        server
            .api()
            .post(
                "/api/donations/checkout",
                "{\"amount\":"
                    + amount
                    + ",\"currency\":\"GBP\",\"frequency\":\"ONE_OFF\",\"email\":\""
                    + email
                    + "\",\"source\":{\"articleUrl\":\""
                    + article
                    + "\",\"campaign\":\""
                    + campaign
                    + "\"}}");
    assertThat(created.status()).as(created.body()).isEqualTo(201);
    String paymentIntent = unique("pi");
    String charge = unique("ch");
    stripe.stubObject(
        "/v1/payment_intents/" + paymentIntent,
        "{\"id\":\""
            + paymentIntent
            + "\",\"object\":\"payment_intent\",\"latest_charge\":\""
            + charge
            + "\",\"metadata\":{}}");
    stripe.stubCharge(charge, null, amount, fee);
    String completed = unique("evt");
    stripe.deliver(
        event(
            completed,
            "checkout.session.completed",
            now(),
            "{\"id\":\""
                + session
                + "\",\"object\":\"checkout.session\",\"mode\":\"payment\","
                + "\"payment_status\":\"paid\",\"amount_total\":"
                + amount
                + ",\"currency\":\"gbp\",\"payment_intent\":\""
                + paymentIntent
                + "\",\"customer_details\":{\"email\":\""
                + email
                + "\"},\"metadata\":{\"frequency\":\"ONE_OFF\",\"sourceArticleUrl\":\""
                + article
                + "\",\"sourceCampaign\":\""
                + campaign
                + "\"}}"));
    stripe.awaitEvent(completed, "APPLIED");
    return charge;
  }

  private static void refund(String charge, long amount, long refunded) {
    String refund = unique("re");
    stripe.stubObject(
        "/v1/balance_transactions/txn_" + refund,
        StripeFixtures.balanceTransaction("txn_" + refund, -refunded, 0, "refund"));
    String event = unique("evt");
    stripe.deliver(
        event(
            event,
            "charge.refunded",
            now(),
            "{\"id\":\""
                + charge
                + "\",\"object\":\"charge\",\"amount\":"
                + amount
                + ",\"amount_refunded\":"
                + refunded
                + ",\"currency\":\"gbp\",\"refunds\":{\"object\":\"list\",\"data\":[{\"id\":\""
                + refund
                + "\",\"object\":\"refund\",\"amount\":"
                + refunded
                + ",\"status\":\"succeeded\",\"balance_transaction\":\"txn_"
                + refund
                + "\",\"created\":"
                + now()
                + "}]}}"));
    stripe.awaitEvent(event, "APPLIED");
  }

  private static String summaryPath(String parameters) {
    LocalDate today = LocalDate.now(ZoneOffset.UTC);
    return "/api/reports/summary?from="
        + today.minusDays(1)
        + "&to="
        + today.plusDays(1)
        + "&tz=UTC"
        + parameters;
  }

  private static long sum(List<JsonObject> rows, String field) {
    return rows.stream().mapToLong(r -> r.getJsonNumber(field).longValue()).sum();
  }

  /** The export's decimal money (GBP, two places) in minor units. */
  private static long minor(List<CSVRecord> rows, String column) {
    return rows.stream()
        .mapToLong(r -> new java.math.BigDecimal(r.get(column)).movePointRight(2).longValueExact())
        .sum();
  }

  private static CSVRecord exportRow(String charge, String type) throws IOException {
    return exportRows().stream()
        .filter(r -> r.get("stripeChargeId").equals(charge) && r.get("type").equals(type))
        .findFirst()
        .orElseThrow(() -> new AssertionError("no export row for " + charge));
  }

  private static List<CSVRecord> exportRows() throws IOException {
    LocalDate today = LocalDate.now(ZoneOffset.UTC);
    String csv =
        finance
            .get(
                "/api/reports/transactions?from="
                    + today.minusDays(1)
                    + "&to="
                    + today.plusDays(1)
                    + "&tz=UTC")
            .body();
    try (CSVParser parser =
        CSVParser.parse(
            csv, CSVFormat.RFC4180.builder().setHeader().setSkipHeaderRecord(true).get())) {
      return parser.getRecords();
    }
  }

  private static JsonObject dashboardCurrency(String currency) {
    LocalDate today = LocalDate.now(ZoneOffset.UTC);
    JsonObject view =
        finance
            .get(
                "/api/reports/dashboard?from="
                    + today.minusDays(1)
                    + "&to="
                    + today.plusDays(1)
                    + "&tz=UTC")
            .json();
    return view.getJsonArray("currencies").getValuesAs(JsonObject.class).stream()
        .filter(c -> c.getString("currency").equals(currency))
        .findFirst()
        .orElseThrow();
  }

  private static Map<String, Long> origin(JsonObject currency, String list, String key) {
    JsonObject o =
        currency.getJsonArray(list).getValuesAs(JsonObject.class).stream()
            .filter(e -> e.getString("key").equals(key))
            .findFirst()
            .orElseThrow(() -> new AssertionError(key + " not in " + list + ": " + currency));
    return Map.of(
        "payments", o.getJsonNumber("payments").longValue(),
        "gross", o.getJsonNumber("gross").longValue(),
        "net", o.getJsonNumber("net").longValue(),
        "newSupporters", o.getJsonNumber("newSupporters").longValue());
  }
}
