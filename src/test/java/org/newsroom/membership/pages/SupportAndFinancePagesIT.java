package org.newsroom.membership.pages;

import static org.assertj.core.api.Assertions.assertThat;

import jakarta.json.Json;
import jakarta.json.JsonArray;
import jakarta.json.JsonObject;
import java.io.StringReader;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.newsroom.membership.testing.Api;
import org.newsroom.membership.testing.Browser;
import org.newsroom.membership.testing.BrowserSession;
import org.newsroom.membership.testing.SharedServer;
import org.newsroom.membership.testing.TestServer;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.Keys;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.ExpectedConditions;

/**
 * The support, my-support and finance pages in headless Chromium. The donation and report endpoints
 * live in other feature branches, so the browser's fetch of those paths is answered with the shapes
 * API.md documents (installed before each page's own scripts run, and recording what the page
 * sent); accounts, sessions and the entitlement check are the real service.
 */
@SharedServer
class SupportAndFinancePagesIT {

  private static final String PASSWORD = "lighthouse keeper reads the tides";
  private final TestServer server;
  @RegisterExtension static final BrowserSession browser = new BrowserSession();
  private String stubScript;

  SupportAndFinancePagesIT(TestServer server) {
    this.server = server;
  }

  @BeforeEach
  void forgetTheReader() {
    browser.forget(server.baseUrl);
  }

  @AfterEach
  void removeStubs() {
    if (stubScript != null) {
      browser
          .chrome()
          .executeCdpCommand(
              "Page.removeScriptToEvaluateOnNewDocument", Map.of("identifier", stubScript));
      stubScript = null;
    }
  }

  @Test
  void guestGivesMonthlyInEurosAndIsSentToStripeCheckout() {
    stub(
        "POST",
        "/api/donations/checkout",
        201,
        "{\"checkoutSessionId\":\"cs_test_1\",\"checkoutUrl\":\""
            + server.baseUrl
            + "/thank-you.html?session_id=cs_test_1\"}");
    browser.get(server.baseUrl + "/support.html");
    assertThat(text("main h1")).isEqualTo("Your support helps us to tell the story");
    browser.await(ExpectedConditions.visibilityOfElementLocated(By.id("email")));

    browser.findElement(By.cssSelector("label[for=frequency-monthly]")).click();
    browser.findElement(By.cssSelector("label[for=currency-eur]")).click();
    browser.findElement(By.cssSelector("label[for=preset-2]")).click();
    assertThat(text("label[for=preset-2]")).contains("10.00").contains("€").endsWith("a month");
    browser.findElement(By.id("email")).sendKeys("guest@readers.example");
    Browser.screenshot(browser, "support-guest");
    browser.findElement(By.cssSelector("#support button[type=submit]")).click();

    browser.await(ExpectedConditions.urlContains("/thank-you.html?session_id=cs_test_1"));
    JsonObject sent = onlyRequest("POST", "/api/donations/checkout");
    assertThat(sent.getInt("amount")).isEqualTo(1000);
    assertThat(sent.getString("currency")).isEqualTo("EUR");
    assertThat(sent.getString("frequency")).isEqualTo("MONTHLY");
    assertThat(sent.getString("email")).isEqualTo("guest@readers.example");
    assertThat(sent.getString("returnUrl"))
        .isEqualTo(server.baseUrl + "/thank-you.html?checkout=done");
    browser.await(ExpectedConditions.presenceOfElementLocated(By.id("state")));
    Browser.screenshot(browser, "thank-you");
  }

  @Test
  void customAmountIsCheckedAndPaymentsUnavailableIsExplainedOnThePage() {
    stub(
        "POST",
        "/api/donations/checkout",
        503,
        "{\"type\":\"https://membership.example/problems/payments-unavailable\","
            + "\"title\":\"Payments unavailable\",\"status\":503,\"detail\":\"Stripe is down\"}");
    browser.get(server.baseUrl + "/support.html");
    browser.await(ExpectedConditions.visibilityOfElementLocated(By.id("email")));
    browser.findElement(By.id("amount")).sendKeys("twelve");
    browser.findElement(By.id("email")).sendKeys("guest@readers.example" + Keys.ENTER);

    browser.await(ExpectedConditions.visibilityOfElementLocated(By.id("amount-error")));
    assertThat(browser.findElement(By.id("amount")).getAttribute("aria-invalid")).isEqualTo("true");
    assertThat(requests()).isEmpty();

    WebElement amount = browser.findElement(By.id("amount"));
    amount.clear();
    amount.sendKeys("12.50" + Keys.ENTER);
    browser.await(
        ExpectedConditions.textMatches(
            By.cssSelector("#support [role=alert]"), Pattern.compile("Nothing has been charged")));
    assertThat(browser.getCurrentUrl()).endsWith("/support.html");
    assertThat(browser.findElements(By.id("amount-error"))).isEmpty();
    JsonObject sent = onlyRequest("POST", "/api/donations/checkout");
    assertThat(sent.getInt("amount")).isEqualTo(1250);
    assertThat(sent.getString("currency")).isEqualTo("GBP");
    assertThat(sent.getString("frequency")).isEqualTo("ONE_OFF");
    Browser.screenshot(browser, "support-payments-unavailable");
  }

  @Test
  void aZeroDecimalCurrencyTheServerAcceptsIsOfferedAndSentInItsOwnMinorUnits() {
    stub(
        "GET",
        "/api/donations/currencies",
        200,
        "{\"currencies\":[{\"code\":\"GBP\",\"currencyDecimals\":2,\"minAmount\":100,"
            + "\"maxAmount\":1000000},{\"code\":\"JPY\",\"currencyDecimals\":0,"
            + "\"minAmount\":100,\"maxAmount\":1000000}]}",
        "POST",
        "/api/donations/checkout",
        201,
        "{\"checkoutSessionId\":\"cs_test_2\",\"checkoutUrl\":\""
            + server.baseUrl
            + "/thank-you.html?session_id=cs_test_2\"}");
    browser.get(server.baseUrl + "/support.html");
    browser.await(
        ExpectedConditions.elementToBeClickable(By.cssSelector("label[for=currency-jpy]")));
    assertThat(browser.findElements(By.id("currency-eur"))).isEmpty();

    browser.findElement(By.cssSelector("label[for=currency-jpy]")).click();
    // ¥2,500, not ¥25.00: the exponent is the server's, not a fixed 2.
    assertThat(text("label[for=preset-2]")).contains("¥").contains("2,500").doesNotContain(".");
    assertThat(text("#amount-hint")).isEqualTo("For example 1250");
    WebElement amount = browser.findElement(By.id("amount"));
    amount.sendKeys("12.50");
    browser.findElement(By.id("email")).sendKeys("yen@readers.example" + Keys.ENTER);
    browser.await(ExpectedConditions.visibilityOfElementLocated(By.id("amount-error")));
    assertThat(requests().getValuesAs(JsonObject.class))
        .noneMatch(r -> r.getString("method").equals("POST"));

    amount.clear();
    amount.sendKeys("1250" + Keys.ENTER);
    browser.await(ExpectedConditions.urlContains("/thank-you.html?session_id=cs_test_2"));
    JsonObject sent = onlyRequest("POST", "/api/donations/checkout");
    assertThat(sent.getInt("amount")).isEqualTo(1250);
    assertThat(sent.getString("currency")).isEqualTo("JPY");
  }

  @Test
  void signedInReaderIsNotAskedForAnEmail() {
    String email = Api.uniqueEmail("supporter");
    server.api().register(email, PASSWORD);
    browser.signIn(server.baseUrl, email, PASSWORD);
    browser.get(server.baseUrl + "/support.html");
    awaitText("greeting", "Signed in as Ada");
    assertThat(browser.findElement(By.id("guest")).isDisplayed()).isFalse();
  }

  @Test
  void mySupportShowsTheFixYourCardBannerAndChangesAContribution() {
    stub(
        "GET",
        "/api/me/contributions",
        200,
        "{\"recurring\":[{\"id\":\"rc_1\",\"amount\":500,\"currency\":\"GBP\",\"currencyDecimals\":2,"
            + "\"frequency\":\"MONTHLY\",\"status\":\"PAST_DUE\",\"cancelAtPeriodEnd\":false,"
            + "\"currentPeriodEnd\":\"2026-12-01T00:00:00Z\",\"resumesOn\":null,"
            + "\"startedAt\":\"2026-01-01T00:00:00Z\"}],"
            + "\"payments\":[{\"id\":\"p_1\",\"amount\":500,\"currency\":\"GBP\",\"currencyDecimals\":2,"
            + "\"frequency\":\"MONTHLY\",\"status\":\"SUCCEEDED\",\"refundedAmount\":0,"
            + "\"paidAt\":\"2026-11-01T10:00:00Z\"}]}",
        "PATCH",
        "/api/me/contributions/rc_1",
        200,
        "{\"id\":\"rc_1\",\"amount\":800,\"currency\":\"GBP\",\"currencyDecimals\":2,"
            + "\"frequency\":\"MONTHLY\","
            + "\"status\":\"PAST_DUE\",\"cancelAtPeriodEnd\":false}",
        "POST",
        "/api/me/billing-portal",
        200,
        "{\"url\":\"" + server.baseUrl + "/index.html?portal=stub\"}");
    browser.get(server.baseUrl + "/my-support.html");

    browser.await(ExpectedConditions.visibilityOfElementLocated(By.id("past-due")));
    assertThat(text("#past-due")).contains("did not go through");
    assertThat(text("#recurring h3")).contains("£5.00").contains("monthly");
    assertThat(text("#payments tbody")).contains("£5.00").contains("SUCCEEDED");
    Browser.screenshot(browser, "my-support-past-due");

    WebElement amount = browser.findElement(By.id("amount-rc_1"));
    amount.clear();
    amount.sendKeys("8.00" + Keys.ENTER);
    JsonObject change = awaitRequest("PATCH", "/api/me/contributions/rc_1");
    assertThat(change.getInt("amount")).isEqualTo(800);
    assertThat(change.getString("frequency")).isEqualTo("MONTHLY");

    browser.findElement(By.cssSelector("#past-due button")).click();
    browser.await(ExpectedConditions.urlContains("/index.html?portal=stub"));
  }

  @Test
  void financePageIsForStaffOnly() {
    browser.get(server.baseUrl + "/finance.html");
    browser.await(ExpectedConditions.visibilityOfElementLocated(By.id("not-staff")));
    assertThat(browser.findElement(By.id("staff")).isDisplayed()).isFalse();

    String email = Api.uniqueEmail("reader");
    server.api().register(email, PASSWORD);
    browser.signIn(server.baseUrl, email, PASSWORD);
    browser.get(server.baseUrl + "/finance.html");
    browser.await(ExpectedConditions.visibilityOfElementLocated(By.id("not-staff")));
    assertThat(browser.findElement(By.id("staff")).isDisplayed()).isFalse();
  }

  @Test
  void adminDownloadsAReportSeesTheChartAndReplaysAFailedStripeEvent() {
    stub(
        "GET",
        "/api/reports/transactions",
        200,
        "\"occurredAt,type,amount\\r\\n2026-11-01T10:00:00Z,PAYMENT,5.00\\r\\n\"",
        "GET",
        "/api/reports/summary",
        200,
        "{\"rows\":[{\"period\":\"2026-10\",\"currency\":\"GBP\",\"frequency\":\"MONTHLY\","
            + "\"count\":2,\"gross\":1000,\"refunds\":0,\"fees\":60,\"net\":940},"
            + "{\"period\":\"2026-11\",\"currency\":\"GBP\",\"frequency\":\"ONE_OFF\","
            + "\"count\":1,\"gross\":2500,\"refunds\":500,\"fees\":80,\"net\":1920},"
            + "{\"period\":\"2026-11\",\"currency\":\"JPY\",\"currencyDecimals\":0,"
            + "\"frequency\":\"ONE_OFF\",\"count\":1,\"gross\":12500,\"refunds\":0,\"fees\":500,"
            + "\"net\":12000},"
            + "{\"period\":\"2026-11\",\"currency\":\"USD\",\"currencyDecimals\":2,"
            + "\"frequency\":\"ONE_OFF\","
            + "\"count\":1,\"gross\":700,\"refunds\":0,\"fees\":50,\"net\":650}]}",
        "GET",
        "/api/admin/stripe-events",
        200,
        "{\"events\":[{\"id\":\"evt_1\",\"type\":\"invoice.paid\",\"status\":\"FAILED\","
            + "\"receivedAt\":\"2026-11-27T10:00:00Z\",\"attempts\":3,\"lastError\":\"boom\"}]}",
        "POST",
        "/api/admin/stripe-events/evt_1/replay",
        200,
        "{\"id\":\"evt_1\",\"type\":\"invoice.paid\",\"status\":\"APPLIED\"}");
    browser.signIn(server.baseUrl, TestServer.ADMIN_EMAIL, TestServer.ADMIN_PASSWORD);
    browser.get(server.baseUrl + "/finance.html");
    browser.await(ExpectedConditions.visibilityOfElementLocated(By.id("staff")));
    assertThat(browser.findElement(By.id("admin")).isDisplayed()).isTrue();

    browser.findElement(By.cssSelector("#reports button[value=transactions]")).click();
    browser.await(
        ExpectedConditions.textMatches(
            By.id("download-status"),
            Pattern.compile("^Saved transactions-.*\\.csv \\(\\d+ bytes\\)")));
    String query = awaitRequestPath("GET", "/api/reports/transactions");
    assertThat(query).contains("from=").contains("to=").contains("tz=").contains("format=csv");

    browser.findElement(By.cssSelector("#reports button[value=chart]")).click();
    awaitText("chart-status", "Showing GBP, JPY, USD.");
    assertThat(awaitRequestPath("GET", "/api/reports/summary"))
        .contains("groupBy=month")
        .contains("format=json");
    List<WebElement> charts = browser.findElements(By.cssSelector("#charts svg"));
    assertThat(charts).hasSize(3);
    // Yen have no minor digits: 12500 is ¥12,500, not ¥125.00; dollars keep theirs.
    String yen = (String) js("return document.querySelectorAll('#charts figure')[1].textContent");
    assertThat(yen)
        .contains("JPY")
        .contains("¥12,500")
        .contains("¥12,000")
        .doesNotContain("125.00");
    String dollars =
        (String) js("return document.querySelectorAll('#charts figure')[2].textContent");
    assertThat(dollars).contains("$7.00").contains("$6.50");
    assertThat(browser.findElements(By.cssSelector("#charts figure:first-child rect.gross")))
        .hasSize(2);
    assertThat(browser.findElements(By.cssSelector("#charts figure:first-child rect.net")))
        .hasSize(2);
    Browser.screenshot(browser, "finance-chart");

    browser.findElement(By.cssSelector("#inbox button[type=submit]")).click();
    browser.await(ExpectedConditions.visibilityOfElementLocated(By.id("events")));
    assertThat(text("#events tbody")).contains("evt_1").contains("invoice.paid").contains("boom");
    browser.findElement(By.cssSelector("#events button")).click();
    browser.await(
        ExpectedConditions.textToBe(By.id("inbox-status-text"), "evt_1 replayed: APPLIED."));
    assertThat(awaitRequestPath("POST", "/api/admin/stripe-events/")).contains("evt_1/replay");
    Browser.screenshot(browser, "finance-inbox");
  }

  @Test
  void theDashboardIsTheFirstThingFinanceSeesAndItsFiguresAndChartTablesEqualTheApis()
      throws Exception {
    String run = java.util.UUID.randomUUID().toString().substring(0, 8);
    try (java.sql.Connection db = org.newsroom.membership.testing.Postgres.connect(server.schema)) {
      var ledger = new org.newsroom.membership.testing.LedgerRows(db, run);
      java.util.UUID p =
          ledger.payment("page", null, "page-" + run + "@donors.example", 4200, "CHF", "ONE_OFF");
      ledger.movement(
          "PAYMENT",
          p,
          "page",
          4200,
          150,
          "CHF",
          java.time.Instant.now().minusSeconds(60).toString());
      ledger.recurring(
          "page",
          900,
          "CHF",
          "MONTHLY",
          "ACTIVE",
          java.time.Instant.now().minusSeconds(120).toString(),
          null);
    }
    browser.signIn(server.baseUrl, TestServer.ADMIN_EMAIL, TestServer.ADMIN_PASSWORD);
    browser.get(server.baseUrl + "/finance.html");
    browser.await(ExpectedConditions.visibilityOfElementLocated(By.id("staff")));
    assertThat(browser.findElement(By.cssSelector("#staff > :first-child")).getAttribute("id"))
        .isEqualTo("dashboard");
    browser.await(
        ExpectedConditions.presenceOfElementLocated(
            By.cssSelector("#dashboard section[data-currency=CHF]")));

    // The same request through the API, as the page made it.
    String query = browser.findElement(By.id("dashboard")).getAttribute("data-query");
    Api admin = server.api();
    admin.signIn(TestServer.ADMIN_EMAIL, TestServer.ADMIN_PASSWORD);
    JsonObject view = admin.get("/api/reports/dashboard?" + query).json();
    assertThat(view.getJsonArray("currencies")).isNotEmpty();
    for (JsonObject currency : view.getJsonArray("currencies").getValuesAs(JsonObject.class)) {
      String code = currency.getString("currency");
      WebElement section =
          browser.findElement(By.cssSelector("#dashboard section[data-currency=" + code + "]"));
      for (WebElement figure : section.findElements(By.cssSelector("ul.figures a[data-field]"))) {
        String field = figure.getAttribute("data-field");
        assertThat(figure.getAttribute("data-minor"))
            .as(code + " " + field)
            .isEqualTo(currency.getJsonNumber(field).toString());
        assertThat(figure.getAttribute("href")).contains("/api/reports/");
      }
      List<JsonObject> series = currency.getJsonArray("series").getValuesAs(JsonObject.class);
      for (String table : List.of("Money in", "Monthly recurring revenue")) {
        List<WebElement> rows =
            section.findElements(By.cssSelector("table[data-series='" + table + "'] tbody tr"));
        assertThat(rows).as(code + " " + table).hasSize(series.size());
        for (int i = 0; i < rows.size(); i++) {
          assertThat(rows.get(i).findElement(By.tagName("th")).getAttribute("textContent"))
              .isEqualTo(series.get(i).getString("period"));
          for (WebElement cell : rows.get(i).findElements(By.cssSelector("td[data-field]"))) {
            assertThat(cell.getAttribute("data-minor"))
                .as(code + " " + table + " " + series.get(i).getString("period"))
                .isEqualTo(series.get(i).getJsonNumber(cell.getAttribute("data-field")).toString());
          }
        }
      }
    }
    WebElement chf = browser.findElement(By.cssSelector("#dashboard section[data-currency=CHF]"));
    assertThat(chf.findElement(By.cssSelector("a[data-field=gross]")).getAttribute("data-minor"))
        .isEqualTo(
            String.valueOf(
                view.getJsonArray("currencies").getValuesAs(JsonObject.class).stream()
                    .filter(c -> c.getString("currency").equals("CHF"))
                    .findFirst()
                    .orElseThrow()
                    .getJsonNumber("gross")
                    .longValue()));
    // uPlot, served from its WebJar, drew both charts (hidden from screen readers: the tables say
    // it).
    assertThat(chf.findElements(By.cssSelector(".uplot canvas"))).hasSize(2);
    assertThat(chf.findElements(By.cssSelector("figure > div[aria-hidden=true] .uplot")))
        .hasSize(2);
    assertThat(text("#dashboard-inbox")).startsWith("Stripe inbox:");
    Browser.screenshot(browser, "finance-dashboard");
  }

  // --- helpers ---

  /**
   * Answers the page's fetch of each (method, path prefix) with (status, JSON body) before any page
   * script runs, and records each answered request in sessionStorage (kept across the same-origin
   * navigation to Checkout's stand-in).
   */
  private void stub(Object... triples) {
    StringBuilder stubs = new StringBuilder("[");
    for (int i = 0; i < triples.length; i += 4) {
      if (i > 0) {
        stubs.append(',');
      }
      stubs
          .append("{\"method\":\"")
          .append(triples[i])
          .append("\",\"path\":\"")
          .append(triples[i + 1])
          .append("\",\"status\":")
          .append(triples[i + 2])
          .append(",\"body\":")
          .append(triples[i + 3])
          .append('}');
    }
    stubs.append(']');
    String source =
        "(() => {\n"
            + "  const stubs = "
            + stubs
            + ";\n"
            + "  const real = window.fetch.bind(window);\n"
            + "  window.fetch = (input, init = {}) => {\n"
            + "    const url = new URL(typeof input === 'string' ? input : input.url,"
            + " location.href);\n"
            + "    const method = (init.method || 'GET').toUpperCase();\n"
            + "    const path = url.pathname + url.search;\n"
            + "    const stub = stubs.find(s => s.method === method && path.startsWith(s.path));\n"
            + "    if (!stub) return real(input, init);\n"
            + "    const log = JSON.parse(sessionStorage.getItem('stubbed') || '[]');\n"
            + "    log.push({method, path, body: init.body || null});\n"
            + "    sessionStorage.setItem('stubbed', JSON.stringify(log));\n"
            + "    const text = typeof stub.body === 'string' ? stub.body"
            + " : JSON.stringify(stub.body);\n"
            + "    const type = typeof stub.body === 'string' ? 'text/csv'"
            + " : stub.status >= 400 ? 'application/problem+json' : 'application/json';\n"
            + "    return new Promise(resolve => setTimeout(() => resolve(new Response(text,"
            + " {status: stub.status, headers: {'Content-Type': type}})), 50));\n"
            + "  };\n"
            + "})();";
    @SuppressWarnings("unchecked")
    Map<String, Object> added =
        (Map<String, Object>)
            browser
                .chrome()
                .executeCdpCommand(
                    "Page.addScriptToEvaluateOnNewDocument", Map.of("source", source));
    stubScript = (String) added.get("identifier");
  }

  private JsonArray requests() {
    Object log = js("return sessionStorage.getItem('stubbed') || '[]'");
    return Json.createReader(new StringReader((String) log)).readArray();
  }

  private JsonObject onlyRequest(String method, String path) {
    List<JsonObject> matching =
        requests().getValuesAs(JsonObject.class).stream()
            .filter(r -> r.getString("method").equals(method))
            .filter(r -> r.getString("path").startsWith(path))
            .toList();
    assertThat(matching).hasSize(1);
    return Json.createReader(new StringReader(matching.get(0).getString("body"))).readObject();
  }

  private JsonObject awaitRequest(String method, String path) {
    browser.await(
        d -> requests().getValuesAs(JsonObject.class).stream().anyMatch(matches(method, path)));
    return onlyRequest(method, path);
  }

  private String awaitRequestPath(String method, String path) {
    browser.await(
        d -> requests().getValuesAs(JsonObject.class).stream().anyMatch(matches(method, path)));
    return requests().getValuesAs(JsonObject.class).stream()
        .filter(matches(method, path))
        .reduce((first, second) -> second)
        .orElseThrow()
        .getString("path");
  }

  private static java.util.function.Predicate<JsonObject> matches(String method, String path) {
    return r -> r.getString("method").equals(method) && r.getString("path").startsWith(path);
  }

  private Object js(String script) {
    return ((JavascriptExecutor) browser).executeScript(script);
  }

  private String text(String css) {
    return browser.findElement(By.cssSelector(css)).getText();
  }

  private void awaitText(String id, String expected) {
    browser.await(ExpectedConditions.textToBe(By.id(id), expected));
  }
}
