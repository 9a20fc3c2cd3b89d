package org.newsroom.membership.donations;

import static com.github.tomakehurst.wiremock.client.WireMock.containing;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static org.assertj.core.api.Assertions.assertThat;
import static org.newsroom.membership.testing.Problems.assertValidation;
import static org.newsroom.membership.testing.StripeFixtures.event;
import static org.newsroom.membership.testing.StripeFixtures.formBody;
import static org.newsroom.membership.testing.StripeFixtures.now;
import static org.newsroom.membership.testing.StripeFixtures.unique;

import jakarta.json.JsonObject;
import java.io.IOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.LocalDate;
import java.time.ZoneOffset;
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
 * Cover the fees: the estimate, the limits, what Stripe is asked to charge, and the covered fee
 * recorded from the webhook, shown to the donor and reported to finance.
 */
@SharedServer
class CoverFeesIT {

  private static final String PASSWORD = "cover the fees passphrase";
  private static TestServer server;
  private static StripeFixtures stripe;
  private static Api finance;

  @BeforeAll
  static void financeMember(TestServer server, StripeFixtures stripe) {
    CoverFeesIT.server = server;
    CoverFeesIT.stripe = stripe;
    finance = server.staffMember("fees-finance", "FINANCE").api();
  }

  @Test
  void theEstimateFollowsTheConfiguredRuleAndTheCurrencysLimits() {
    JsonObject gbp =
        server.api().get("/api/donations/fee-estimate?amount=1000&currency=gbp").json();
    assertThat(gbp.getJsonNumber("fee").longValue()).isEqualTo(36);
    assertThat(gbp.getJsonNumber("total").longValue()).isEqualTo(1036);
    assertThat(gbp.getString("currency")).isEqualTo("GBP");
    assertThat(gbp.getInt("currencyDecimals")).isEqualTo(2);
    JsonObject usd =
        server.api().get("/api/donations/fee-estimate?amount=1000&currency=USD").json();
    assertThat(usd.getJsonNumber("fee").longValue()).isEqualTo(61);

    assertValidation(
        server.api().get("/api/donations/fee-estimate?amount=10.5&currency=GBP"), "amount");
    assertValidation(
        server.api().get("/api/donations/fee-estimate?amount=1000&currency=XXX"), "currency");
    assertValidation(
        server.api().get("/api/donations/fee-estimate?amount=50&currency=GBP"), "amount");
    assertValidation(server.api().get("/api/donations/fee-estimate?amount=1000"), "currency");
  }

  @Test
  void aGiftThatWouldPassTheMaximumWithItsFeeIsRefusedBeforeStripeIsAsked() {
    String email = Api.uniqueEmail("toomuch");
    Api.Response response =
        server
            .api()
            .post(
                "/api/donations/checkout",
                "{\"amount\":999990,\"currency\":\"GBP\",\"frequency\":\"ONE_OFF\",\"email\":\""
                    + email
                    + "\",\"coverFees\":true}");
    assertValidation(response, "coverFees");
    assertThat(
            server.stripe.findAll(
                postRequestedFor(urlPathEqualTo("/v1/checkout/sessions"))
                    .withRequestBody(containing(encoded(email)))))
        .isEmpty();
    // The same gift without covering the fee is fine.
    String declined = unique("cs");
    stripe.stubCheckoutSession(declined, email, "https://checkout.stripe.com/c/pay/" + declined);
    assertThat(
            server
                .api()
                .post(
                    "/api/donations/checkout",
                    "{\"amount\":999990,\"currency\":\"GBP\",\"frequency\":\"ONE_OFF\",\"email\":\""
                        + email
                        + "\",\"coverFees\":false}")
                .status())
        .isEqualTo(201);
  }

  @Test
  void aDonorWhoCoversTheFeeIsChargedItAndSeesItAndFinanceSeesHowMuchWasCovered()
      throws IOException {
    Api reader = server.api();
    String email = Api.uniqueEmail("coverer");
    String memberId = reader.register(email, PASSWORD).getString("id");
    String session = unique("cs");
    stripe.stubCheckoutSession(session, email, "https://checkout.stripe.com/c/pay/" + session);
    long coveredBefore = feesCovered("USD");
    Api.Response created =
        reader.post(
            "/api/donations/checkout",
            "{\"amount\":1000,\"currency\":\"USD\",\"frequency\":\"ONE_OFF\",\"coverFees\":true}");
    assertThat(created.status()).as(created.body()).isEqualTo(201);
    String sent = formBody(stripe.lastCheckoutSessionFor(email));
    assertThat(sent)
        .contains(
            "[unit_amount]=1061",
            "metadata[coveredFee]=61",
            "payment_intent_data[metadata][coveredFee]=61");
    assertThat(
            stripe.row(
                "SELECT amount, cover_fees, covered_fee FROM checkout_attempt"
                    + " WHERE checkout_session_id = ?",
                session))
        .containsEntry("amount", 1061L)
        .containsEntry("cover_fees", true)
        .containsEntry("covered_fee", 61L);

    String paymentIntent = unique("pi");
    String charge = unique("ch");
    stripe.stubObject(
        "/v1/payment_intents/" + paymentIntent,
        "{\"id\":\""
            + paymentIntent
            + "\",\"object\":\"payment_intent\",\"latest_charge\":\""
            + charge
            + "\",\"metadata\":{\"attemptId\":\"x\"}}");
    stripe.stubObject(
        "/v1/charges/" + charge,
        StripeFixtures.charge(charge, paymentIntent, null, 1061, "txn_" + charge)
            .replace("\"currency\":\"gbp\"", "\"currency\":\"usd\""));
    stripe.stubObject(
        "/v1/balance_transactions/txn_" + charge,
        StripeFixtures.balanceTransaction("txn_" + charge, 1061, 61, "charge")
            .replace("\"currency\":\"gbp\"", "\"currency\":\"usd\""));
    String completed = unique("evt");
    stripe.deliver(
        event(
            completed,
            "checkout.session.completed",
            now(),
            "{\"id\":\""
                + session
                + "\",\"object\":\"checkout.session\",\"mode\":\"payment\","
                + "\"payment_status\":\"paid\",\"amount_total\":1061,\"currency\":\"usd\","
                + "\"payment_intent\":\""
                + paymentIntent
                + "\",\"customer_details\":{\"email\":\""
                + email
                + "\"},\"metadata\":{\"attemptId\":\"x\",\"frequency\":\"ONE_OFF\",\"memberId\":\""
                + memberId
                + "\",\"coveredFee\":\"61\"}}"));
    stripe.awaitEvent(completed, "APPLIED");

    JsonObject payment =
        reader.get("/api/me/contributions").json().getJsonArray("payments").getJsonObject(0);
    assertThat(payment.getJsonNumber("amount").longValue()).isEqualTo(1061);
    assertThat(payment.getJsonNumber("coveredFee").longValue()).isEqualTo(61);

    CSVRecord row = exportRow(charge);
    assertThat(row.get("coveredFee")).isEqualTo("0.61");
    assertThat(row.get("amount")).isEqualTo("10.61");
    assertThat(feesCovered("USD") - coveredBefore).isEqualTo(61);
  }

  // ---------------------------------------------------------------- helpers

  private static long feesCovered(String currency) {
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
        .mapToLong(c -> c.getJsonNumber("feesCovered").longValue())
        .sum();
  }

  private static CSVRecord exportRow(String charge) throws IOException {
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
      return parser.getRecords().stream()
          .filter(r -> r.get("stripeChargeId").equals(charge) && r.get("type").equals("PAYMENT"))
          .findFirst()
          .orElseThrow(() -> new AssertionError("no export row for " + charge));
    }
  }

  private static String encoded(String value) {
    return URLEncoder.encode(value, StandardCharsets.UTF_8);
  }
}
