package org.newsroom.membership.notifications;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.newsroom.membership.testing.Api;
import org.newsroom.membership.testing.BrowserSession;
import org.newsroom.membership.testing.SharedServer;
import org.newsroom.membership.testing.TestServer;
import org.openqa.selenium.By;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The opt-in on the demo article page in a real headless Chromium. The notification permission is
 * granted through the browser's own automation API (CDP Browser.grantPermissions); the browser's
 * push service (FCM) is out of reach here, so PushManager is replaced before the page loads by one
 * that hands out a subscription on the local push service, whose keys the test holds.
 */
@SharedServer
class AlertsOptInPageIT {

  private final TestServer server;
  @RegisterExtension static final BrowserSession browser = new BrowserSession();
  private static PushServiceDouble push;

  AlertsOptInPageIT(TestServer server) {
    this.server = server;
  }

  @BeforeAll
  static void start() {
    push = new PushServiceDouble();
  }

  @AfterAll
  static void stop() {
    push.close();
  }

  @Test
  void aReaderOptsInAfterPressingTheButtonChoosesTopicsAndOptsOut() {
    PushBrowser device = push.browser();
    browser
        .chrome()
        .executeCdpCommand(
            "Browser.grantPermissions",
            Map.of("origin", server.baseUrl, "permissions", List.of("notifications")));
    browser
        .chrome()
        .executeCdpCommand(
            "Page.addScriptToEvaluateOnNewDocument",
            Map.of(
                "source",
                "(function(){var sub=null;var json={endpoint:'"
                    + device.endpoint
                    + "',keys:{p256dh:'"
                    + device.p256dh()
                    + "',auth:'"
                    + device.auth()
                    + "'}};"
                    + "if(!window.PushManager)return;"
                    + "PushManager.prototype.getSubscription=function(){return Promise.resolve(sub);};"
                    + "PushManager.prototype.subscribe=function(){window.__subscribeCalls=(window.__subscribeCalls||0)+1;"
                    + "sub={endpoint:json.endpoint,toJSON:function(){return json;},"
                    + "unsubscribe:function(){sub=null;return Promise.resolve(true);}};"
                    + "return Promise.resolve(sub);};})();"));

    browser.get(server.baseUrl + "/article-demo.html");
    WebDriverWait wait = new WebDriverWait(browser, Duration.ofSeconds(20));
    wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("alerts-offer")));
    // Nothing is asked before the reader's gesture.
    assertThat(browser.findElement(By.id("alerts-form")).isDisplayed()).isFalse();
    assertThat(browser.executeScript("return window.__subscribeCalls || 0")).isEqualTo(0L);

    browser.findElement(By.id("alerts-offer")).click();
    wait.until(
        ExpectedConditions.visibilityOfElementLocated(By.cssSelector("#alerts-topics input")));
    assertThat(browser.findElements(By.cssSelector("#alerts-topics input"))).hasSize(5);
    browser.findElement(By.cssSelector("#alerts-topics input[value=sport]")).click();
    browser.findElement(By.id("alerts-save")).click();

    wait.until(
        ExpectedConditions.textToBe(
            By.id("alerts-status"), "You get alerts for: Breaking news, Sport."));
    assertThat(browser.findElement(By.id("alerts-off")).isDisplayed()).isTrue();
    assertThat(browser.findElement(By.id("alerts-offer")).isDisplayed()).isFalse();
    // The service holds it: someone else's keys for the same endpoint are refused.
    PushBrowser other = push.browser();
    Api.Response conflict =
        server
            .api()
            .post(
                "/api/notifications/subscriptions",
                PushBrowser.subscription(
                    device.endpoint, other.p256dh(), other.auth(), List.of("breaking")));
    assertThat(conflict.status()).isEqualTo(409);

    browser.findElement(By.id("alerts-off")).click();
    wait.until(ExpectedConditions.textToBe(By.id("alerts-status"), "Alerts are off."));
    assertThat(browser.findElement(By.id("alerts-offer")).isDisplayed()).isTrue();
    Api.Response gone =
        server
            .api()
            .delete("/api/notifications/subscriptions", device.unsubscription(device.auth()));
    assertThat(gone.status()).isEqualTo(404);
  }
}
