package org.newsroom.membership.receipts;

import static org.assertj.core.api.Assertions.assertThat;
import static org.newsroom.membership.testing.Await.eventually;
import static org.newsroom.membership.testing.Problems.assertValidation;
import static org.newsroom.membership.testing.StripeFixtures.event;
import static org.newsroom.membership.testing.StripeFixtures.now;
import static org.newsroom.membership.testing.StripeFixtures.unique;

import jakarta.json.JsonArray;
import jakarta.json.JsonObject;
import jakarta.mail.internet.MimeMessage;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Locale;
import org.apache.pdfbox.Loader;
import org.apache.pdfbox.pdmodel.PDDocument;
import org.apache.pdfbox.text.PDFTextStripper;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.newsroom.membership.testing.Api;
import org.newsroom.membership.testing.Mailbox;
import org.newsroom.membership.testing.SharedServer;
import org.newsroom.membership.testing.StripeFixtures;
import org.newsroom.membership.testing.TestServer;

/**
 * Receipts for every successful payment (members and guests), annual statements as JSON, HTML and
 * PDF, in a two-decimal, a zero-decimal and a three-decimal currency, and recovered payments.
 */
@SharedServer
class ReceiptsIT {

  private static TestServer server;
  private static StripeFixtures stripe;
  private static Mailbox mailbox;
  private static final String PASSWORD = "receipts integration passphrase";
  private static final String ORG = "The Newsroom Trust";
  private static final String WORDING = "no goods or services were provided in return";
  private static final int YEAR = LocalDate.now(ZoneId.of("Europe/London")).getYear();
  private static final String TODAY =
      DateTimeFormatter.ofPattern("d MMMM uuuu", Locale.ENGLISH)
          .format(LocalDate.now(ZoneId.of("Europe/London")));

  @BeforeAll
  static void useTheSharedServer(TestServer server, StripeFixtures stripe, Mailbox mailbox) {
    ReceiptsIT.server = server;
    ReceiptsIT.stripe = stripe;
    ReceiptsIT.mailbox = mailbox;
  }

  @Test
  void everyPaymentGetsOneReceiptAndTheYearsStatementAddsThemUpInEachCurrencysDecimals()
      throws Exception {
    Api reader = server.api();
    String email = Api.uniqueEmail("receipts");
    String memberId = reader.register(email, PASSWORD).getString("id");
    Paid gbp = paid(memberId, "payer@b.example", "gbp", 1250, false);
    paid(memberId, "payer@b.example", "jpy", 1250, false);
    paid(memberId, "payer@b.example", "kwd", 12340, false);

    for (String amount : List.of("12.50 GBP", "1250 JPY", "12.340 KWD")) {
      eventually(
          () -> mailbox.subjectsTo(email).contains("Your receipt: " + amount + " on " + TODAY),
          "a receipt for " + amount);
      String text = mailbox.textsTo(email, "Your receipt: " + amount).get(0);
      assertThat(text)
          .contains(ORG, "1 Press Lane", "London EC1A 1AA", WORDING, "Monthly contribution")
          .contains("Amount: " + amount, "Date: " + TODAY)
          .contains("/my-support.html#statements");
    }

    // The same invoice again (a redelivery under a new event id): no second receipt.
    String again = unique("evt");
    stripe.deliver(event(again, "invoice.paid", now(), gbp.invoiceJson()));
    stripe.awaitEvent(again, "APPLIED");
    assertThat(mailbox.subjectsTo(email).stream().filter(s -> s.contains("12.50 GBP"))).hasSize(1);

    // 5.00 of the 12.50 refunded.
    String refund = unique("re");
    stripe.stubObject(
        "/v1/balance_transactions/txn_" + refund,
        StripeFixtures.balanceTransaction("txn_" + refund, -500, 0, "refund"));
    String refunded = unique("evt");
    stripe.deliver(
        event(
            refunded,
            "charge.refunded",
            now(),
            "{\"id\":\""
                + gbp.charge()
                + "\",\"object\":\"charge\",\"amount\":1250,\"amount_refunded\":500,"
                + "\"currency\":\"gbp\",\"refunds\":{\"object\":\"list\",\"data\":[{\"id\":\""
                + refund
                + "\",\"object\":\"refund\",\"amount\":500,\"status\":\"succeeded\","
                + "\"balance_transaction\":\"txn_"
                + refund
                + "\",\"created\":"
                + now()
                + "}]}}"));
    stripe.awaitEvent(refunded, "APPLIED");

    JsonObject statement = reader.get("/api/me/statements/" + YEAR).json();
    assertThat(statement.getInt("year")).isEqualTo(YEAR);
    assertThat(statement.getJsonArray("payments")).hasSize(3);
    JsonArray totals = statement.getJsonArray("totals");
    assertThat(total(totals, "GBP").getInt("given")).isEqualTo(1250);
    assertThat(total(totals, "GBP").getInt("refunded")).isEqualTo(500);
    assertThat(total(totals, "GBP").getInt("kept")).isEqualTo(750);
    assertThat(total(totals, "JPY").getInt("currencyDecimals")).isZero();
    assertThat(total(totals, "KWD").getInt("currencyDecimals")).isEqualTo(3);
    assertThat(total(totals, "KWD").getInt("kept")).isEqualTo(12340);
    assertThat(statement.getJsonObject("organisation").getString("name")).isEqualTo(ORG);

    Api.Response html = reader.get("/api/me/statements/" + YEAR + "?format=html");
    assertThat(html.status()).isEqualTo(200);
    assertThat(html.contentType()).startsWith("text/html");
    assertThat(html.body())
        .contains(ORG, "12.50 GBP", "5.00 GBP", "7.50 GBP", "1250 JPY", "12.340 KWD", WORDING)
        .doesNotContain("<script");

    HttpResponse<byte[]> pdf = bytes(reader, "/api/me/statements/" + YEAR + "?format=pdf");
    assertThat(pdf.statusCode()).isEqualTo(200);
    assertThat(pdf.headers().firstValue("Content-Type").orElse("")).startsWith("application/pdf");
    String pdfText = pdfText(pdf.body());
    assertThat(pdfText)
        .contains(ORG + ": giving statement " + YEAR, "1 Press Lane", email)
        .contains("12.50 GBP", "5.00 GBP", "7.50 GBP", "1250 JPY", "12.340 KWD", TODAY)
        .contains("no goods or services");

    assertThat(reader.post("/api/me/statements/" + YEAR + "/mail").status()).isEqualTo(202);
    eventually(
        () -> mailbox.subjectsTo(email).contains("Your giving statement for " + YEAR),
        "the statement by mail");
    assertThat(mailbox.textsTo(email, "Your giving statement for " + YEAR).get(0))
        .contains("kept 7.50 GBP", "given 1250 JPY", "given 12.340 KWD", "attached as a PDF");
    MimeMessage mailed =
        mailbox.to(email).stream()
            .filter(m -> Mailbox.subject(m).equals("Your giving statement for " + YEAR))
            .findFirst()
            .orElseThrow();
    assertThat(pdfText(Mailbox.attachment(mailed)))
        .contains(ORG + ": giving statement " + YEAR, email)
        .contains("12.50 GBP", "7.50 GBP", "1250 JPY", "12.340 KWD");

    // A year without gifts is a statement that says so.
    JsonObject empty = reader.get("/api/me/statements/" + (YEAR - 1)).json();
    assertThat(empty.getJsonArray("payments")).isEmpty();
    assertThat(pdfText(bytes(reader, "/api/me/statements/" + (YEAR - 1) + "?format=pdf").body()))
        .contains("No gifts were received from you in " + (YEAR - 1));
  }

  @Test
  void statementsAreTheSignedInReadersOwnAndValidated() {
    Api reader = server.api();
    reader.register(Api.uniqueEmail("statement-rules"), PASSWORD);
    assertThat(server.api().get("/api/me/statements/" + YEAR).status()).isEqualTo(401);
    assertThat(server.api().post("/api/me/statements/" + YEAR + "/mail").status()).isEqualTo(401);
    assertValidation(reader.get("/api/me/statements/1999"), "year");
    assertValidation(reader.get("/api/me/statements/" + (YEAR + 1)), "year");
    assertValidation(reader.get("/api/me/statements/twenty"), "year");
    assertValidation(reader.get("/api/me/statements/" + YEAR + "?format=doc"), "format");
  }

  @Test
  void aGuestGetsAReceiptAtTheAddressGivenAtCheckout() {
    String guest = Api.uniqueEmail("guest-receipt");
    paid(null, guest, "gbp", 900, false);
    eventually(
        () -> mailbox.subjectsTo(guest).contains("Your receipt: 9.00 GBP on " + TODAY),
        "the guest's receipt");
    assertThat(mailbox.textsTo(guest, "Your receipt").get(0))
        .contains(ORG, WORDING)
        .doesNotContain("my-support");
  }

  @Test
  void aPaymentAfterAFailedRenewalCountsAsRecovered() {
    Api reader = server.api();
    String memberId = reader.register(Api.uniqueEmail("recovered"), PASSWORD).getString("id");
    Paid first = paid(memberId, "payer@b.example", "gbp", 700, false);
    Paid after = paid(memberId, "payer@b.example", "gbp", 700, true);
    assertThat(
            stripe.row("SELECT recovered FROM payment WHERE stripe_charge_id = ?", first.charge()))
        .containsEntry("recovered", false);
    assertThat(
            stripe.row("SELECT recovered FROM payment WHERE stripe_charge_id = ?", after.charge()))
        .containsEntry("recovered", true);
    eventually(
        () -> metrics().contains("donations_recovered_payments_total"),
        "the recovered payments metric");
  }

  // ---- helpers ----

  private record Paid(String subscription, String charge, String invoiceJson) {}

  /**
   * A monthly subscription in the currency, paid through signed webhooks; with {@code failFirst}
   * its invoice fails once before it is paid. {@code memberId} null: a guest's.
   */
  private static Paid paid(
      String memberId, String email, String currency, long amount, boolean failFirst) {
    String subscription = unique("sub");
    String customer = unique("cus");
    String created = unique("evt");
    stripe.deliver(
        event(
            created,
            "customer.subscription.created",
            now() - 10,
            in(
                currency,
                StripeFixtures.subscription(
                    subscription,
                    customer,
                    "active",
                    amount,
                    "month",
                    now() + 2_600_000,
                    memberId))));
    stripe.awaitEvent(created, "APPLIED");
    String invoice = unique("in");
    if (failFirst) {
      String failed = unique("evt");
      stripe.deliver(
          event(
              failed,
              "invoice.payment_failed",
              now() - 8,
              "{\"id\":\""
                  + invoice
                  + "\",\"object\":\"invoice\",\"customer\":\""
                  + customer
                  + "\",\"subscription\":\""
                  + subscription
                  + "\",\"attempt_count\":1,\"amount_paid\":0,\"amount_due\":"
                  + amount
                  + ",\"currency\":\""
                  + currency
                  + "\",\"status\":\"open\"}"));
      stripe.awaitEvent(failed, "APPLIED");
    }
    String charge = unique("ch");
    String bt = "txn_" + charge;
    stripe.stubObject(
        "/v1/charges/" + charge,
        in(currency, StripeFixtures.charge(charge, "pi_" + charge, customer, amount, bt)));
    stripe.stubObject(
        "/v1/balance_transactions/" + bt,
        in(currency, StripeFixtures.balanceTransaction(bt, amount, 40, "charge")));
    String invoiceJson =
        in(
            currency,
            StripeFixtures.invoice(
                invoice, subscription, customer, email, charge, amount, now() + 2_600_000));
    String paid = unique("evt");
    stripe.deliver(event(paid, "invoice.paid", now() - 5, invoiceJson));
    stripe.awaitEvent(paid, "APPLIED");
    return new Paid(subscription, charge, invoiceJson);
  }

  private static String in(String currency, String stripeJson) {
    return stripeJson.replace("\"gbp\"", "\"" + currency + "\"");
  }

  private static JsonObject total(JsonArray totals, String currency) {
    return totals.stream()
        .map(JsonObject.class::cast)
        .filter(t -> t.getString("currency").equals(currency))
        .findFirst()
        .orElseThrow();
  }

  private static HttpResponse<byte[]> bytes(Api api, String path) {
    try {
      return HttpClient.newHttpClient()
          .send(
              HttpRequest.newBuilder(URI.create(server.baseUrl + path))
                  .header("Authorization", "Bearer " + api.sessionToken())
                  .build(),
              HttpResponse.BodyHandlers.ofByteArray());
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  private static String pdfText(byte[] pdf) {
    try (PDDocument doc = Loader.loadPDF(pdf)) {
      return new PDFTextStripper().getText(doc);
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  private static String metrics() {
    return server.api().get("/metrics").body();
  }
}
