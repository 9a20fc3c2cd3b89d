package org.newsroom.membership.pages;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.containing;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static org.assertj.core.api.Assertions.assertThat;
import static org.newsroom.membership.testing.StripeFixtures.event;
import static org.newsroom.membership.testing.StripeFixtures.now;
import static org.newsroom.membership.testing.StripeFixtures.unique;

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

/**
 * "Cancel my gift and refund last month", in headless Chromium against the real service and the
 * Stripe double: a support person finds the reader, refunds part of the payment and cancels the
 * gift; the reader's own page then shows both.
 */
@SharedServer
class SupportDeskPageIT {

  private static final String PASSWORD = "support desk page passphrase";
  private final TestServer server;
  private final StripeFixtures stripe;
  @RegisterExtension static final BrowserSession browser = new BrowserSession();

  SupportDeskPageIT(TestServer server, StripeFixtures stripe) {
    this.server = server;
    this.stripe = stripe;
  }

  @Test
  void supportFindsAReaderRefundsLastMonthAndCancelsAndTheReaderSeesIt() {
    Api reader = server.api();
    String readerEmail = Api.uniqueEmail("desk-reader");
    String readerId = reader.register(readerEmail, PASSWORD).getString("id");
    StripeFixtures.Paid paid = stripe.paidSubscription(readerId, 1000);
    String refund = unique("re");
    server.stripe.stubFor(
        post(urlPathEqualTo("/v1/refunds"))
            .withRequestBody(containing(paid.charge()))
            .atPriority(1)
            .willReturn(
                json(
                    "{\"id\":\""
                        + refund
                        + "\",\"object\":\"refund\",\"amount\":400,\"currency\":\"gbp\","
                        + "\"status\":\"succeeded\"}")));
    stripe.stubSubscriptionUpdate(paid, 1000, readerId);

    TestServer.StaffMember support = server.staffMember("desk-support", "SUPPORT");

    // A reader sees no console.
    signIn(readerEmail, PASSWORD);
    browser.get(server.baseUrl + "/support-desk.html");
    browser.await(ExpectedConditions.visibilityOfElementLocated(By.id("not-staff")));
    assertThat(browser.findElement(By.id("staff")).isDisplayed()).isFalse();

    signIn(support.email(), support.password());
    browser.get(server.baseUrl + "/support-desk.html");
    browser.await(ExpectedConditions.visibilityOfElementLocated(By.id("staff")));
    // The masthead says whose name everything done here is recorded under.
    browser.await(ExpectedConditions.textToBe(By.id("greeting"), "Signed in as Ada"));
    browser.findElement(By.id("q")).sendKeys(readerEmail);
    browser.findElement(By.cssSelector("#find button[type=submit]")).click();
    // No reason, no look-up: the field says why.
    browser.await(ExpectedConditions.attributeToBe(By.id("reason"), "aria-invalid", "true"));
    browser.findElement(By.id("reason")).sendKeys("ticket 99: cancel and refund last month");
    browser.findElement(By.cssSelector("#find button[type=submit]")).click();
    browser.await(ExpectedConditions.visibilityOfElementLocated(By.id("matches")));
    browser.findElement(By.cssSelector("#matches tbody button")).click();
    browser.await(ExpectedConditions.textToBe(By.id("case-title"), readerEmail));

    WebElement amount = browser.findElement(By.cssSelector("#payments input[data-payment]"));
    amount.sendKeys("4.00");
    amount.findElement(By.xpath("following-sibling::button")).click();
    browser.await(ExpectedConditions.textToBePresentInElementLocated(By.id("status"), refund));
    assertThat(browser.findElement(By.id("status")).getText()).contains("4.00");
    assertThat(
            server.stripe.findAll(
                postRequestedFor(urlPathEqualTo("/v1/refunds"))
                    .withRequestBody(containing("amount=400"))
                    .withRequestBody(containing("charge=" + paid.charge()))))
        .hasSize(1);

    browser.await(
        ExpectedConditions.elementToBeClickable(
            By.xpath("//table[@id='recurring']//button[text()='Cancel']")));
    browser.findElement(By.xpath("//table[@id='recurring']//button[text()='Cancel']")).click();
    browser.await(ExpectedConditions.textToBePresentInElementLocated(By.id("status"), "Cancelled"));
    browser.await(
        ExpectedConditions.textToBePresentInElementLocated(By.id("recurring"), "ends on"));
    Browser.screenshot(browser, "support-desk");

    // Stripe confirms the refund by webhook, as it would for a refund made in the dashboard.
    stripe.stubObject(
        "/v1/balance_transactions/txn_" + refund,
        StripeFixtures.balanceTransaction("txn_" + refund, -400, 0, "refund"));
    String webhook = unique("evt");
    stripe.deliver(
        event(
            webhook,
            "charge.refunded",
            now(),
            "{\"id\":\""
                + paid.charge()
                + "\",\"object\":\"charge\",\"amount\":1000,\"amount_refunded\":400,"
                + "\"currency\":\"gbp\",\"refunds\":{\"object\":\"list\",\"data\":[{\"id\":\""
                + refund
                + "\",\"object\":\"refund\",\"amount\":400,\"status\":\"succeeded\","
                + "\"balance_transaction\":\"txn_"
                + refund
                + "\",\"created\":"
                + now()
                + "}]}}"));
    stripe.awaitEvent(webhook, "APPLIED");

    signIn(readerEmail, PASSWORD);
    browser.get(server.baseUrl + "/my-support.html");
    browser.await(
        ExpectedConditions.textToBePresentInElementLocated(By.tagName("main"), "Ends on"));
    browser.await(
        ExpectedConditions.textToBePresentInElementLocated(
            By.tagName("main"), "PARTIALLY_REFUNDED"));
    assertThat(browser.findElement(By.tagName("main")).getText()).contains("4.00 refunded");
    // The year's statement is a link away on the same page.
    browser.await(ExpectedConditions.visibilityOfElementLocated(By.id("statement-pdf")));
    Object pdf =
        ((JavascriptExecutor) browser)
            .executeAsyncScript(
                "const done = arguments[arguments.length - 1];"
                    + " fetch(document.getElementById('statement-pdf').href)"
                    + ".then(r => done(r.status + ' ' + r.headers.get('content-type')));");
    assertThat(pdf).isEqualTo("200 application/pdf");
  }

  @Test
  void theRestartLinkOfAnEndedGiftFillsInTheSupportForm() {
    browser.get(server.baseUrl + "/support.html?frequency=ANNUAL&currency=EUR&amount=1234");
    browser.await(
        d ->
            "12.34".equals(d.findElement(By.id("amount")).getAttribute("value"))
                && d.findElement(By.id("preset-other")).isSelected());
    assertThat(browser.findElement(By.id("frequency-annual")).isSelected()).isTrue();
    assertThat(browser.findElement(By.id("currency-eur")).isSelected()).isTrue();
    browser.get(server.baseUrl + "/support.html?frequency=MONTHLY&currency=GBP&amount=500");
    browser.await(
        d -> d.findElement(By.cssSelector("input[name='preset'][value='500']")).isSelected());
    assertThat(browser.findElement(By.id("frequency-monthly")).isSelected()).isTrue();
  }

  private void signIn(String email, String password) {
    browser.forget(server.baseUrl);
    browser.signIn(server.baseUrl, email, password);
  }

  private static com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder json(
      String body) {
    return aResponse().withHeader("Content-Type", "application/json").withBody(body);
  }
}
