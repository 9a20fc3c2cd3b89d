package org.newsroom.membership.pages;

import static org.assertj.core.api.Assertions.assertThat;
import static org.newsroom.membership.testing.StripeFixtures.unique;

import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import jakarta.json.JsonObject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.newsroom.membership.testing.Api;
import org.newsroom.membership.testing.ArticleSite;
import org.newsroom.membership.testing.Browser;
import org.newsroom.membership.testing.BrowserSession;
import org.newsroom.membership.testing.SharedServer;
import org.newsroom.membership.testing.StripeFixtures;
import org.newsroom.membership.testing.TestServer;
import org.openqa.selenium.By;
import org.openqa.selenium.support.ui.ExpectedConditions;

/**
 * The support page in headless Chromium against the real service, with Stripe's double recording
 * what the service asked it for: a reader arriving from an article gives with the article, the
 * campaign and the UTM parameters attached without doing anything, and the cover-the-fees box adds
 * exactly the estimate it shows.
 */
@SharedServer
class GiftSourceAndCoverFeesPageIT {

  private static TestServer server;
  private static StripeFixtures stripe;
  private static final String ARTICLE_PATH = "/2026/12/04/the-lighthouse-story.html";
  private static ArticleSite articleSite;
  @RegisterExtension static final BrowserSession browser = new BrowserSession();

  /**
   * The demo article as a publisher would serve it from its own site: the snippet and the support
   * link point at the service.
   */
  @BeforeAll
  static void serveTheArticleFromTheArticleSite(TestServer server, StripeFixtures stripe)
      throws Exception {
    GiftSourceAndCoverFeesPageIT.server = server;
    GiftSourceAndCoverFeesPageIT.stripe = stripe;
    String page =
        server
            .api()
            .get("/article-demo.html")
            .body()
            .replace("\"/entitlements.js", "\"" + server.baseUrl + "/entitlements.js")
            .replace("\"/article-demo.js", "\"" + server.baseUrl + "/article-demo.js")
            .replace("\"/site.css", "\"" + server.baseUrl + "/site.css")
            .replace("href=\"/support.html\"", "href=\"" + server.baseUrl + "/support.html\"");
    articleSite = ArticleSite.serve(server, ARTICLE_PATH, page);
  }

  @AfterAll
  static void stop() {
    if (articleSite != null) {
      articleSite.close();
    }
  }

  @BeforeEach
  void anonymousReader() {
    browser.forget(server.baseUrl);
  }

  @Test
  void aReaderArrivingFromAnArticleGivesWithItsArticleCampaignAndUtmParametersAttached() {
    String campaign = unique("winter");
    String email = Api.uniqueEmail("from-article");
    String session = stubSession(email);
    String article = server.articleOrigin + ARTICLE_PATH;

    browser.get(
        article
            + "?campaign="
            + campaign
            + "&utm_source=newsletter&utm_medium=email&utm_campaign=Winter%20appeal#comments");
    browser.await(ExpectedConditions.visibilityOfElementLocated(By.cssSelector("#support-ask a")));
    browser.findElement(By.cssSelector("#support-ask a")).click();
    browser.await(ExpectedConditions.urlContains(server.baseUrl + "/support.html"));
    browser.await(ExpectedConditions.visibilityOfElementLocated(By.id("email")));
    Browser.screenshot(browser, "support-from-article");
    browser.findElement(By.id("amount")).sendKeys("12.00");
    browser.findElement(By.id("email")).sendKeys(email);
    browser.findElement(By.cssSelector("#support button[type=submit]")).click();
    browser.await(ExpectedConditions.urlContains("session_id=" + session));

    String sent = decoded(stripe.lastCheckoutSessionFor(email));
    assertThat(sent)
        .contains(
            "metadata[sourceArticleUrl]=" + article + "&",
            "metadata[sourceCampaign]=" + campaign + "&",
            "metadata[utmSource]=newsletter&",
            "metadata[utmMedium]=email&",
            "metadata[utmCampaign]=Winter appeal&",
            "payment_intent_data[metadata][sourceCampaign]=" + campaign);
    assertThat(
            stripe.row(
                "SELECT source_article_url, source_campaign, utm_source, utm_medium, utm_campaign"
                    + " FROM checkout_attempt WHERE checkout_session_id = ?",
                session))
        .containsEntry("source_article_url", article)
        .containsEntry("source_campaign", campaign)
        .containsEntry("utm_source", "newsletter")
        .containsEntry("utm_medium", "email")
        .containsEntry("utm_campaign", "Winter appeal");
  }

  @Test
  void tickingCoverTheFeesShowsTheEstimateAndChargesTheAmountPlusThatFee() {
    JsonObject estimate =
        server.api().get("/api/donations/fee-estimate?amount=1000&currency=GBP").json();
    long fee = estimate.getJsonNumber("fee").longValue();
    long total = estimate.getJsonNumber("total").longValue();
    assertThat(total).isEqualTo(1000 + fee);
    assertThat(fee).isPositive();

    String covering = Api.uniqueEmail("covering");
    String coveringSession = stubSession(covering);
    browser.get(server.baseUrl + "/support.html");
    browser.await(ExpectedConditions.visibilityOfElementLocated(By.id("email")));
    browser.findElement(By.id("amount")).sendKeys("10.00");
    browser.findElement(By.cssSelector("label[for=cover-fees]")).click();
    assertThat(browser.findElement(By.id("cover-fees")).isSelected()).isTrue();
    browser.await(ExpectedConditions.textToBe(By.id("cover-fee"), "£" + decimal(fee)));
    browser.await(ExpectedConditions.textToBe(By.id("cover-total"), "£" + decimal(total)));
    assertThat(browser.findElement(By.id("cover-fees-hint")).isDisplayed()).isTrue();
    Browser.screenshot(browser, "support-cover-fees");
    browser.findElement(By.id("email")).sendKeys(covering);
    browser.findElement(By.cssSelector("#support button[type=submit]")).click();
    browser.await(ExpectedConditions.urlContains("session_id=" + coveringSession));
    assertThat(decoded(stripe.lastCheckoutSessionFor(covering)))
        .contains("[unit_amount]=" + total + "&", "metadata[coveredFee]=" + fee);

    String plain = Api.uniqueEmail("not-covering");
    String plainSession = stubSession(plain);
    browser.get(server.baseUrl + "/support.html");
    browser.await(ExpectedConditions.visibilityOfElementLocated(By.id("email")));
    browser.findElement(By.id("amount")).sendKeys("10.00");
    assertThat(browser.findElement(By.id("cover-fees")).isSelected()).isFalse();
    browser.findElement(By.id("email")).sendKeys(plain);
    browser.findElement(By.cssSelector("#support button[type=submit]")).click();
    browser.await(ExpectedConditions.urlContains("session_id=" + plainSession));
    assertThat(decoded(stripe.lastCheckoutSessionFor(plain)))
        .contains("[unit_amount]=1000&")
        .doesNotContain("metadata[coveredFee]=" + fee);
  }

  // ---------------------------------------------------------------- helpers

  /** Stripe's double answers this donor's session create with a URL back to the service. */
  private static String stubSession(String email) {
    String session = unique("cs_test");
    stripe.stubCheckoutSession(
        session, email, server.baseUrl + "/thank-you.html?checkout=success&session_id=" + session);
    return session;
  }

  /** The form body decoded, with a trailing {@code &} so every field's value ends visibly. */
  private static String decoded(LoggedRequest request) {
    return StripeFixtures.formBody(request) + "&";
  }

  private static String decimal(long pence) {
    return String.format("%d.%02d", pence / 100, pence % 100);
  }
}
