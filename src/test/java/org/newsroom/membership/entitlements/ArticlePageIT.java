package org.newsroom.membership.entitlements;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.newsroom.membership.testing.Api;
import org.newsroom.membership.testing.ArticleSite;
import org.newsroom.membership.testing.Browser;
import org.newsroom.membership.testing.BrowserSession;
import org.newsroom.membership.testing.SharedServer;
import org.newsroom.membership.testing.TestServer;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The demo article page served from a second origin (as www. would be, with the service on api.),
 * in a real headless Chromium: the snippet's credentialed cross-origin check shows the signed-in
 * state after sign-in and the anonymous state after sign-out.
 */
@SharedServer
class ArticlePageIT {

  private static TestServer server;
  private static ArticleSite articleSite;
  @RegisterExtension static final BrowserSession browser = new BrowserSession();

  @BeforeAll
  static void serveTheArticleFromAnotherOrigin(TestServer server) throws Exception {
    ArticlePageIT.server = server;
    String page =
        server
            .api()
            .get("/article-demo.html")
            .body()
            .replace("\"/entitlements.js", "\"" + server.baseUrl + "/entitlements.js")
            .replace("\"/article-demo.js", "\"" + server.baseUrl + "/article-demo.js")
            .replace("\"/site.css", "\"" + server.baseUrl + "/site.css");
    articleSite = ArticleSite.serve(server, "/article.html", page);
  }

  @AfterAll
  static void stop() {
    if (articleSite != null) {
      articleSite.close();
    }
  }

  @Test
  void readerSignsInOnTheArticlePageAndIsGreetedThenSignsOut() {
    String email = Api.uniqueEmail("browser");
    server.api().register(email, "reading the news every morning");

    browser.get(server.articleOrigin + "/article.html");
    awaitText("greeting", "Not signed in");
    assertThat(visible("support-ask")).isTrue();
    assertThat(visible("thank-you")).isFalse();
    Browser.screenshot(browser, "article-anonymous");

    browser.findElement(By.id("email")).sendKeys(email);
    browser.findElement(By.id("password")).sendKeys("reading the news every morning");
    browser.findElement(By.cssSelector("#sign-in button[type=submit]")).click();
    awaitText("greeting", "Hello, Ada");
    assertThat(visible("sign-out")).isTrue();
    assertThat(visible("sign-in")).isFalse();
    Browser.screenshot(browser, "article-signed-in");

    browser.navigate().refresh();
    awaitText("greeting", "Hello, Ada");

    browser.findElement(By.id("sign-out")).click();
    awaitText("greeting", "Not signed in");
    assertThat(visible("sign-in")).isTrue();
    browser.navigate().refresh();
    awaitText("greeting", "Not signed in");
  }

  @Test
  void aSignInOnTheServicesOwnOriginIsSeenOnTheNextArticlePageView() {
    String email = Api.uniqueEmail("elsewhere");
    server.api().register(email, "reading the news every evening");
    browser.manage().deleteAllCookies();
    browser.get(server.articleOrigin + "/article.html");
    ((JavascriptExecutor) browser).executeScript("localStorage.clear()");
    browser.navigate().refresh();
    awaitText("greeting", "Not signed in");

    // The reader signs in on the service's own origin; the article site's kept answer knows
    // nothing of it.
    browser.get(server.baseUrl + "/");
    Object status =
        ((JavascriptExecutor) browser)
            .executeAsyncScript(
                "var done = arguments[arguments.length - 1];"
                    + "fetch('/api/session', {method: 'POST', credentials: 'include',"
                    + " headers: {'Content-Type': 'application/json'},"
                    + " body: JSON.stringify({email: arguments[0], password: arguments[1]})})"
                    + ".then(function (r) { done(r.status); }, function (e) { done(String(e)); });",
                email,
                "reading the news every evening");
    assertThat(status).isEqualTo(200L);

    browser.get(server.articleOrigin + "/article.html");
    awaitText("greeting", "Hello, Ada");
    // The snippet also fetched a fresh signed token for the site's edge.
    new WebDriverWait(browser, Duration.ofSeconds(15))
        .until(
            driver ->
                ((JavascriptExecutor) driver)
                        .executeScript(
                            "return localStorage.getItem('membership.entitlements-token')")
                    != null);
  }

  private boolean visible(String id) {
    return browser.findElement(By.id(id)).isDisplayed();
  }

  private void awaitText(String id, String text) {
    new WebDriverWait(browser, Duration.ofSeconds(15))
        .until(ExpectedConditions.textToBe(By.id(id), text));
  }
}
