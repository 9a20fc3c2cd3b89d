package org.newsroom.membership.pages;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.containing;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static org.assertj.core.api.Assertions.assertThat;
import static org.newsroom.membership.testing.Await.eventually;
import static org.newsroom.membership.testing.StripeFixtures.event;
import static org.newsroom.membership.testing.StripeFixtures.now;
import static org.newsroom.membership.testing.StripeFixtures.unique;

import com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import jakarta.json.JsonObject;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URLDecoder;
import java.net.URLEncoder;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.newsroom.membership.testing.Api;
import org.newsroom.membership.testing.Browser;
import org.newsroom.membership.testing.BrowserSession;
import org.newsroom.membership.testing.SharedServer;
import org.newsroom.membership.testing.StripeFixtures;
import org.newsroom.membership.testing.TestServer;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.Select;

/**
 * Whole donation journeys in headless Chromium against the real service: nothing in the browser is
 * stubbed. Only Stripe is played, by the WireMock double (its API) and by signed webhooks (its
 * events), exactly as the service meets Stripe in production.
 */
@SharedServer
class DonationJourneyIT {

  private static final String PASSWORD = "a perfectly long passphrase 7";
  private final TestServer server;
  @RegisterExtension static final BrowserSession browser = new BrowserSession();

  private final StripeFixtures stripe;

  DonationJourneyIT(TestServer server, StripeFixtures stripe) {
    this.server = server;
    this.stripe = stripe;
  }

  @BeforeEach
  void forgetTheReader() {
    browser.forget(server.baseUrl);
  }

  @Test
  void aReaderGivesMonthlyThroughTheSupportPageAndBecomesASupporter() {
    Journey journey = giveMonthlyThroughTheBrowser("journey", 1000);

    browser.get(server.baseUrl + "/my-support.html");
    browser.await(ExpectedConditions.visibilityOfElementLocated(By.cssSelector("#recurring h3")));
    assertThat(text("#recurring h3")).contains("10.00").endsWith("monthly");
    assertThat(text("#recurring .contribution-state")).startsWith("Active, next payment");
    browser.await(
        ExpectedConditions.visibilityOfElementLocated(By.cssSelector("#payments tbody tr")));
    assertThat(browser.findElements(By.cssSelector("#payments tbody tr"))).hasSize(1);
    assertThat(text("#payments tbody tr")).contains("10.00").contains("SUCCEEDED");
    Browser.screenshot(browser, "journey-my-support");

    browser.get(server.baseUrl + "/article-demo.html");
    js("localStorage.clear();");
    browser.navigate().refresh();
    browser.await(ExpectedConditions.visibilityOfElementLocated(By.id("thank-you")));
    assertThat(browser.findElement(By.id("support-ask")).isDisplayed()).isFalse();
    assertThat(text("#greeting")).isEqualTo("Hello, Ada");
    Browser.screenshot(browser, "journey-article-thank-you");

    JsonObject entitlements = journey.reader.get("/api/entitlements").json();
    assertThat(entitlements.getBoolean("supporter")).isTrue();
    assertThat(entitlements.getBoolean("showSupportAsk")).isFalse();
    assertThat(entitlements.getJsonObject("recurring").getString("frequency")).isEqualTo("MONTHLY");
  }

  @Test
  void theSupporterChangesTheAmountThenCancelsWithAReason() {
    Journey journey = giveMonthlyThroughTheBrowser("changer", 500);
    String id =
        journey
            .reader
            .get("/api/me/contributions")
            .json()
            .getJsonArray("recurring")
            .getJsonObject(0)
            .getString("id");
    server.stripe.stubFor(
        post(urlPathEqualTo("/v1/subscriptions/" + journey.subscription))
            .atPriority(1)
            .willReturn(
                json(
                    StripeFixtures.subscription(
                        journey.subscription,
                        journey.customer,
                        "active",
                        1500,
                        "month",
                        now() + 2_600_000,
                        journey.memberId))));

    browser.get(server.baseUrl + "/my-support.html");
    browser.await(ExpectedConditions.visibilityOfElementLocated(By.id("amount-" + id)));
    assertThat(text("#recurring h3")).contains("5.00").endsWith("monthly");
    WebElement amount = browser.findElement(By.id("amount-" + id));
    amount.clear();
    amount.sendKeys("15.00");
    browser.findElement(By.cssSelector("#recurring form.change button[type=submit]")).click();
    browser.await(
        ExpectedConditions.textMatches(
            By.cssSelector("#recurring h3"), Pattern.compile(".*15\\.00.*monthly")));
    assertThat(lastSubscriptionUpdate(journey.subscription))
        .contains("[unit_amount]=1500", "[recurring][interval]=month", "proration_behavior=none");
    JsonObject changed =
        journey
            .reader
            .get("/api/me/contributions")
            .json()
            .getJsonArray("recurring")
            .getJsonObject(0);
    assertThat(changed.getInt("amount")).isEqualTo(1500);
    Browser.screenshot(browser, "journey-changed");

    new Select(browser.findElement(By.id("reason-" + id))).selectByValue("I read you less");
    browser.findElement(By.cssSelector("#recurring button.danger")).click();
    browser.await(
        ExpectedConditions.textMatches(
            By.cssSelector("#recurring .contribution-state"), Pattern.compile("^Ends on .+")));
    assertThat(browser.findElements(By.id("amount-" + id))).isEmpty();
    assertThat(text("#recurring h3")).contains("15.00");
    assertThat(lastSubscriptionUpdate(journey.subscription))
        .contains("cancel_at_period_end=true", "cancellation_details[comment]=I read you less");
    JsonObject cancelled =
        journey
            .reader
            .get("/api/me/contributions")
            .json()
            .getJsonArray("recurring")
            .getJsonObject(0);
    assertThat(cancelled.getBoolean("cancelAtPeriodEnd")).isTrue();
    assertThat(cancelled.getString("status")).isEqualTo("ACTIVE");
    // Cancelled at period end still counts until the period ends.
    assertThat(journey.reader.get("/api/entitlements").json().getBoolean("supporter")).isTrue();
    Browser.screenshot(browser, "journey-cancelled");
  }

  @Test
  void financeDownloadsTheTransactionsTheApiReports() throws Exception {
    // A payment to report: a member's monthly contribution, paid through webhooks.
    Api donor = server.api();
    String donorId = donor.register(Api.uniqueEmail("donor"), PASSWORD).getString("id");
    String charge = paidMonthly(donorId, 2500, 95);

    String email = Api.uniqueEmail("finance");
    Api financeReader = server.api();
    financeReader.register(email, PASSWORD);
    server.proveAddress(financeReader, email);
    Api admin = server.api();
    Api.Response signedIn = admin.signIn(TestServer.ADMIN_EMAIL, TestServer.ADMIN_PASSWORD);
    assertThat(signedIn.status()).as(signedIn.body()).isEqualTo(200);
    Api.Response granted =
        admin.post("/api/admin/staff", "{\"email\":\"" + email + "\",\"roles\":[\"FINANCE\"]}");
    assertThat(granted.status()).as(granted.body()).isEqualTo(200);

    Path downloads = TestServer.buildDir().resolve("downloads-" + unique("journey"));
    Files.createDirectories(downloads);
    browser
        .chrome()
        .executeCdpCommand(
            "Browser.setDownloadBehavior",
            Map.of("behavior", "allow", "downloadPath", downloads.toAbsolutePath().toString()));

    browser.signIn(server.baseUrl, email, PASSWORD);
    browser.get(server.baseUrl + "/finance.html");
    browser.await(ExpectedConditions.visibilityOfElementLocated(By.id("staff")));
    String from = value("from");
    String to = value("to");
    String tz = value("tz");
    assertThat(from).isNotBlank();
    assertThat(to).isNotBlank();
    assertThat(new Select(browser.findElement(By.id("format"))).getFirstSelectedOption())
        .extracting(WebElement::getText)
        .isEqualTo("CSV");
    browser.findElement(By.cssSelector("#reports button[value=transactions]")).click();
    browser.await(
        ExpectedConditions.textMatches(By.id("download-status"), Pattern.compile("^Saved .+")));
    Browser.screenshot(browser, "journey-finance-download");
    Path file = awaitDownload(downloads);
    String downloaded = Files.readString(file, StandardCharsets.UTF_8);

    Api finance = server.api();
    assertThat(finance.signIn(email, PASSWORD).status()).isEqualTo(200);
    Api.Response report =
        finance.get(
            "/api/reports/transactions?from="
                + from
                + "&to="
                + to
                + (tz.isBlank() ? "" : "&tz=" + URLEncoder.encode(tz, StandardCharsets.UTF_8))
                + "&format=csv");
    assertThat(report.status()).as(report.body()).isEqualTo(200);
    assertThat(downloaded).isEqualTo(report.body());
    assertThat(downloaded.lines().findFirst().orElseThrow())
        .contains("occurredAt", "type", "amount", "fee", "net", "stripeChargeId");
    assertThat(downloaded.lines().filter(line -> line.contains(charge)))
        .singleElement()
        .asString()
        .contains("PAYMENT", "25.00", "0.95", "24.05", donorId);
  }

  // ---- The journey ----

  private record Journey(
      Api reader, String email, String memberId, String customer, String subscription) {}

  /**
   * A reader signs in, chooses a monthly preset on support.html and is sent to the checkout URL the
   * Stripe double returned; Stripe's webhooks for that subscription then arrive as Stripe would
   * send them, built from what the service asked Stripe for.
   */
  private Journey giveMonthlyThroughTheBrowser(String name, long amount) {
    Api reader = server.api();
    String email = Api.uniqueEmail(name);
    String memberId = reader.register(email, PASSWORD).getString("id");
    // The Stripe customer attaches only to an account whose address is proved.
    server.proveAddress(reader, email);
    String customer = unique("cus");
    String session = unique("cs_test");
    server.stripe.stubFor(
        post(urlPathEqualTo("/v1/customers"))
            .withHeader("Idempotency-Key", equalTo("customer-" + memberId))
            .atPriority(1)
            .willReturn(json("{\"id\":\"" + customer + "\",\"object\":\"customer\"}")));
    server.stripe.stubFor(
        post(urlPathEqualTo("/v1/checkout/sessions"))
            .withRequestBody(containing(memberId))
            .atPriority(1)
            .willReturn(
                json(
                    "{\"id\":\""
                        + session
                        + "\",\"object\":\"checkout.session\",\"mode\":\"subscription\","
                        + "\"status\":\"open\",\"url\":\""
                        + server.baseUrl
                        + "/thank-you.html?checkout=success&session_id="
                        + session
                        + "\"}")));

    browser.signIn(server.baseUrl, email, PASSWORD);
    browser.get(server.baseUrl + "/support.html");
    browser.await(ExpectedConditions.textToBe(By.id("greeting"), "Signed in as Ada"));
    assertThat(browser.findElement(By.id("guest")).isDisplayed()).isFalse();
    browser.findElement(By.cssSelector("label[for=frequency-monthly]")).click();
    String preset = amount == 500 ? "preset-1" : "preset-2";
    assertThat(text("label[for=" + preset + "]"))
        .contains(String.format("%d.00", amount / 100))
        .endsWith("a month");
    browser.findElement(By.cssSelector("label[for=" + preset + "]")).click();
    Browser.screenshot(browser, "journey-support-" + name);
    browser.findElement(By.cssSelector("#support button[type=submit]")).click();
    browser.await(
        ExpectedConditions.urlContains("/thank-you.html?checkout=success&session_id=" + session));

    // What the service asked Stripe for.
    List<LoggedRequest> requests =
        server.stripe.findAll(
            postRequestedFor(urlPathEqualTo("/v1/checkout/sessions"))
                .withRequestBody(containing(memberId)));
    assertThat(requests).hasSize(1);
    String sent = decoded(requests.get(0));
    assertThat(sent)
        .contains(
            "mode=subscription",
            "customer=" + customer,
            "[unit_amount]=" + amount,
            "currency]=gbp",
            "[recurring][interval]=month",
            "metadata[memberId]=" + memberId,
            "subscription_data[metadata][memberId]=" + memberId,
            "success_url=" + server.baseUrl + "/thank-you.html?checkout=done&checkout=success");
    String attemptId = param(sent, "metadata[attemptId]");
    String frequency = param(sent, "metadata[frequency]");
    assertThat(frequency).isEqualTo("MONTHLY");

    // What Stripe sends once the reader paid.
    String subscription = unique("sub");
    long periodEnd = now() + 2_600_000;
    stripe.stubObject(
        "/v1/subscriptions/" + subscription,
        StripeFixtures.subscription(
            subscription, customer, "active", amount, "month", periodEnd, memberId));
    String completed = unique("evt");
    assertThat(
            stripe
                .deliver(
                    event(
                        completed,
                        "checkout.session.completed",
                        now() - 10,
                        "{\"id\":\""
                            + session
                            + "\",\"object\":\"checkout.session\",\"mode\":\"subscription\","
                            + "\"status\":\"complete\",\"payment_status\":\"paid\","
                            + "\"amount_total\":"
                            + amount
                            + ",\"currency\":\"gbp\",\"customer\":\""
                            + customer
                            + "\",\"subscription\":\""
                            + subscription
                            + "\",\"client_reference_id\":\""
                            + attemptId
                            + "\",\"customer_details\":{\"email\":\""
                            + email
                            + "\"},\"metadata\":{\"attemptId\":\""
                            + attemptId
                            + "\",\"frequency\":\""
                            + frequency
                            + "\",\"memberId\":\""
                            + memberId
                            + "\"}}"))
                .statusCode())
        .isEqualTo(200);
    stripe.awaitEvent(completed, "APPLIED");
    String charge = unique("ch");
    stripe.stubCharge(charge, customer, amount, 40);
    String paid = unique("evt");
    HttpResponse<String> delivered =
        stripe.deliver(
            event(
                paid,
                "invoice.paid",
                now() - 5,
                StripeFixtures.invoice(
                    unique("in"), subscription, customer, email, charge, amount, periodEnd)));
    assertThat(delivered.statusCode()).as(delivered.body()).isEqualTo(200);
    stripe.awaitEvent(paid, "APPLIED");
    eventually(
        () -> reader.get("/api/entitlements").json().getBoolean("supporter"),
        "supporter after the webhooks");
    Browser.screenshot(browser, "journey-thank-you-" + name);
    return new Journey(reader, email, memberId, customer, subscription);
  }

  /** A member's monthly contribution created and paid through webhooks; returns the charge id. */
  private String paidMonthly(String memberId, long amount, long fee) {
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
    stripe.stubCharge(charge, customer, amount, fee);
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
                "donor@b.example",
                charge,
                amount,
                now() + 2_600_000)));
    stripe.awaitEvent(paid, "APPLIED");
    return charge;
  }

  // ---- Helpers ----

  private static Path awaitDownload(Path folder) {
    Path[] found = new Path[1];
    eventually(
        () -> {
          try (Stream<Path> files = Files.list(folder)) {
            List<Path> done =
                files
                    .filter(f -> !f.getFileName().toString().endsWith(".crdownload"))
                    .filter(f -> !f.getFileName().toString().startsWith("."))
                    .toList();
            if (done.size() == 1 && Files.size(done.get(0)) > 0) {
              found[0] = done.get(0);
              return true;
            }
            return false;
          } catch (IOException e) {
            throw new UncheckedIOException(e);
          }
        },
        "the download in " + folder);
    return found[0];
  }

  private String lastSubscriptionUpdate(String subscription) {
    List<LoggedRequest> updates =
        server.stripe.findAll(
            postRequestedFor(urlPathEqualTo("/v1/subscriptions/" + subscription)));
    assertThat(updates).isNotEmpty();
    return decoded(updates.get(updates.size() - 1));
  }

  private static String param(String decodedBody, String name) {
    Matcher m = Pattern.compile("(?:^|&)" + Pattern.quote(name) + "=([^&]*)").matcher(decodedBody);
    assertThat(m.find()).as(name + " in " + decodedBody).isTrue();
    return m.group(1);
  }

  private static String decoded(LoggedRequest request) {
    return URLDecoder.decode(request.getBodyAsString(), StandardCharsets.UTF_8);
  }

  private static ResponseDefinitionBuilder json(String body) {
    return aResponse().withHeader("Content-Type", "application/json").withBody(body);
  }

  private static Object js(String script) {
    return ((JavascriptExecutor) browser).executeScript(script);
  }

  private String text(String css) {
    return browser.findElement(By.cssSelector(css)).getText();
  }

  private String value(String id) {
    return browser.findElement(By.id(id)).getAttribute("value");
  }
}
