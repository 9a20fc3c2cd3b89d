package org.newsroom.membership.pages;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.newsroom.membership.testing.Api;
import org.newsroom.membership.testing.Await;
import org.newsroom.membership.testing.Browser;
import org.newsroom.membership.testing.BrowserSession;
import org.newsroom.membership.testing.Mailbox;
import org.newsroom.membership.testing.SharedServer;
import org.newsroom.membership.testing.TestServer;
import org.openqa.selenium.By;
import org.openqa.selenium.Cookie;
import org.openqa.selenium.Keys;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.ExpectedConditions;

/**
 * The reader's own pages (register, sign in, links from mails, account) in a real headless Chromium
 * against the shared server, using only the public API as the pages do.
 */
@SharedServer
class ReaderPagesIT {

  private static final String PASSWORD = "lighthouse keeper reads the tides";

  /** Every page the service serves; each must load its scripts from files only. */
  private static final List<String> PAGES =
      List.of(
          "/",
          "/index.html",
          "/register.html",
          "/sign-in.html",
          "/sign-in-link.html",
          "/verify-email.html",
          "/forgot-password.html",
          "/reset-password.html",
          "/account.html",
          "/article-demo.html",
          "/support.html",
          "/thank-you.html",
          "/my-support.html",
          "/finance.html",
          "/verify-email",
          "/reset-password",
          "/sign-in-link",
          "/forgot-password");

  private static final Pattern INLINE_SCRIPT =
      Pattern.compile("<script(?![^>]*\\ssrc=)[^>]*>", Pattern.CASE_INSENSITIVE);
  private static final Pattern INLINE_HANDLER =
      Pattern.compile("\\son[a-z]+\\s*=", Pattern.CASE_INSENSITIVE);
  private static final Pattern INLINE_STYLE =
      Pattern.compile("\\sstyle\\s*=", Pattern.CASE_INSENSITIVE);

  private static TestServer server;
  @RegisterExtension static final BrowserSession browser = new BrowserSession();

  @BeforeAll
  static void useTheSharedServer(TestServer server) {
    ReaderPagesIT.server = server;
  }

  /** Each scenario starts as a new anonymous visitor: no cookie, no kept entitlement answer. */
  @BeforeEach
  void forgetTheReader() {
    browser.forget(server.baseUrl);
  }

  @Test
  void everyPageAnswersWithAContentSecurityPolicyAndHasNoInlineScriptOrStyle() {
    Api api = server.api();
    for (String page : PAGES) {
      Api.Response response = api.get(page);
      assertThat(response.status()).as(page).isEqualTo(200);
      assertThat(response.contentType()).as(page).startsWith("text/html");
      String policy = response.header("Content-Security-Policy");
      assertThat(policy).as(page).contains("script-src 'self'").contains("style-src 'self'");
      assertThat(policy).as(page).doesNotContain("unsafe-inline");
      assertThat(INLINE_SCRIPT.matcher(response.body()).find())
          .as(page + " inline script")
          .isFalse();
      assertThat(INLINE_HANDLER.matcher(response.body()).find())
          .as(page + " on…= handler")
          .isFalse();
      assertThat(INLINE_STYLE.matcher(response.body()).find()).as(page + " style=").isFalse();
    }
  }

  @Test
  void everyPageRendersAndIsScreenshotted() {
    for (String page : PAGES) {
      if (!page.endsWith(".html")) {
        continue;
      }
      browser.get(server.baseUrl + page);
      browser.await(ExpectedConditions.presenceOfElementLocated(By.tagName("h1")));
      assertThat(browser.getTitle()).as(page).contains("–");
      Browser.screenshot(browser, "page-" + page.substring(1).replace(".html", ""));
    }
  }

  @Test
  void readerRegistersAndIsSignedInAtOnce() {
    String email = Api.uniqueEmail("register-page");
    browser.get(server.baseUrl + "/register.html");
    browser.findElement(By.id("email")).sendKeys(email);
    browser.findElement(By.id("password")).sendKeys(PASSWORD);
    browser.findElement(By.id("displayName")).sendKeys("Ada");
    browser.findElement(By.id("marketingConsent")).click();
    browser.findElement(By.cssSelector("#register button[type=submit]")).click();

    browser.await(ExpectedConditions.visibilityOfElementLocated(By.id("registered")));
    assertThat(text("registered")).contains("Thank you for registering");
    awaitText("greeting", "Signed in as Ada");
    Browser.screenshot(browser, "register-done");

    JsonMember member = meOfBrowser();
    assertThat(member.email()).isEqualTo(email);
    assertThat(member.marketingConsent()).isTrue();
  }

  @Test
  void commonPasswordIsShownNextToThePasswordField() {
    browser.get(server.baseUrl + "/register.html");
    browser.findElement(By.id("email")).sendKeys(Api.uniqueEmail("common"));
    browser.findElement(By.id("password")).sendKeys("password");
    browser.findElement(By.cssSelector("#register button[type=submit]")).click();

    browser.await(ExpectedConditions.visibilityOfElementLocated(By.id("password-error")));
    WebElement password = browser.findElement(By.id("password"));
    assertThat(password.getAttribute("aria-invalid")).isEqualTo("true");
    assertThat(password.getAttribute("aria-describedby").split(" "))
        .contains("password-error", "password-hint");
    assertThat(text("password-error")).startsWith("Password").contains("common");
    WebElement alert = browser.findElement(By.cssSelector("#register [role=alert]"));
    assertThat(alert.getText()).isNotBlank();
    assertThat(browser.switchTo().activeElement().getAttribute("id")).isEqualTo("password");
    assertThat(browser.findElement(By.id("registered")).isDisplayed()).isFalse();
    Browser.screenshot(browser, "register-common-password");
  }

  @Test
  void readerSignsOutAndSignsInAgainWithTheKeyboardOnly() {
    String email = Api.uniqueEmail("keyboard");
    server.api().register(email, PASSWORD);

    browser.get(server.baseUrl + "/sign-in.html");
    tabTo("email").sendKeys(email);
    tabTo("password").sendKeys(PASSWORD + Keys.ENTER);
    browser.await(ExpectedConditions.urlContains("/account.html"));
    awaitText("who", "Ada");
    awaitText("greeting", "Signed in as Ada");
    Browser.screenshot(browser, "account-signed-in");

    tabTo("sign-out-button").sendKeys(Keys.ENTER);
    browser.await(ExpectedConditions.visibilityOfElementLocated(By.id("signed-out")));
    assertThat(text("signed-out-message")).isEqualTo("You have signed out.");
    awaitText("greeting", "Not signed in");
    assertThat(server.api().withSessionToken(sessionOfBrowser()).get("/api/me").status())
        .isEqualTo(401);

    browser.get(server.baseUrl + "/sign-in.html");
    tabTo("email").sendKeys(email);
    tabTo("password").sendKeys(PASSWORD + Keys.ENTER);
    browser.await(ExpectedConditions.urlContains("/account.html"));
    awaitText("who", "Ada");
    assertThat(meOfBrowser().email()).isEqualTo(email);
  }

  @Test
  void wrongPasswordIsAnnouncedOnTheSignInForm() {
    String email = Api.uniqueEmail("wrong");
    server.api().register(email, PASSWORD);
    browser.get(server.baseUrl + "/sign-in.html");
    browser.findElement(By.id("email")).sendKeys(email);
    browser.findElement(By.id("password")).sendKeys("not my password at all" + Keys.ENTER);
    browser.await(
        ExpectedConditions.textMatches(
            By.cssSelector("#sign-in [role=alert]"), Pattern.compile("\\S+")));
    assertThat(browser.getCurrentUrl()).endsWith("/sign-in.html");
    Browser.screenshot(browser, "sign-in-wrong-password");
  }

  @Test
  void readerSignsInWithTheEmailedLink() throws Exception {
    String email = Api.uniqueEmail("link");
    server.api().register(email, PASSWORD);

    browser.get(server.baseUrl + "/sign-in.html");
    browser.findElement(By.id("link-email")).sendKeys(email);
    browser.findElement(By.cssSelector("#link button[type=submit]")).click();
    awaitText(
        "link-sent",
        "If that address belongs to an account, a sign-in link is on its way. It works for 15"
            + " minutes.");

    String link = linkFromMail(email, "Your sign-in link", "/sign-in-link");
    browser.get(link);
    browser
        .await(ExpectedConditions.elementToBeClickable(By.cssSelector("#confirm button")))
        .click();
    browser.await(ExpectedConditions.visibilityOfElementLocated(By.id("done")));
    assertThat(browser.getCurrentUrl()).doesNotContain("token=");
    awaitText("greeting", "Signed in as Ada");
    Browser.screenshot(browser, "sign-in-link-done");
    assertThat(meOfBrowser().email()).isEqualTo(email);
  }

  @Test
  void readerConfirmsTheEmailAddressWithTheMailedLinkAfterBeingAsked() throws Exception {
    String email = Api.uniqueEmail("verify");
    Api reader = server.api();
    reader.register(email, PASSWORD);

    browser.get(linkFromMail(email, "Confirm your email address", "/verify-email"));
    browser.await(ExpectedConditions.elementToBeClickable(By.cssSelector("#confirm button")));
    assertThat(browser.getCurrentUrl()).doesNotContain("token=");
    assertThat(reader.get("/api/me").json().getBoolean("emailVerified"))
        .as("opening the link (as a mail scanner does) changes nothing")
        .isFalse();

    browser.findElement(By.id("password")).sendKeys(PASSWORD);
    browser.findElement(By.cssSelector("#confirm button")).click();
    browser.await(ExpectedConditions.visibilityOfElementLocated(By.id("done")));
    awaitText("done-title", "Thank you: your email address is confirmed.");
    Browser.screenshot(browser, "verify-email-done");
    assertThat(reader.get("/api/me").status())
        .as("proving the address signed every other session out")
        .isEqualTo(401);
    assertThat(server.api().signIn(email, PASSWORD).json().getBoolean("emailVerified")).isTrue();

    browser.navigate().refresh();
    browser.await(
        ExpectedConditions.textMatches(
            By.cssSelector("#confirm [data-form-alert]"), Pattern.compile("incomplete")));
  }

  @Test
  void aSignInNeverSendsTheReaderToAnotherSite() {
    String email = Api.uniqueEmail("redirect");
    server.api().register(email, PASSWORD);
    for (String next : List.of("/%09/evil.example/", "//evil.example/", "/%5Cevil.example/")) {
      browser.manage().deleteAllCookies();
      browser.get(server.baseUrl + "/sign-in.html?next=" + next);
      browser.findElement(By.id("email")).sendKeys(email);
      browser.findElement(By.id("password")).sendKeys(PASSWORD + Keys.ENTER);
      browser.await(ExpectedConditions.not(ExpectedConditions.urlContains("/sign-in")));
      assertThat(browser.getCurrentUrl()).as(next).startsWith(server.baseUrl + "/");
    }
  }

  @Test
  void readerResetsAForgottenPasswordWithTheMailedLink() throws Exception {
    String email = Api.uniqueEmail("reset");
    server.api().register(email, PASSWORD);

    browser.get(server.baseUrl + "/forgot-password");
    browser.findElement(By.id("email")).sendKeys(email);
    browser.findElement(By.cssSelector("#forgot button[type=submit]")).click();
    awaitText("sent", "If that address belongs to an account, a reset link is on its way.");
    Browser.screenshot(browser, "forgot-password-sent");

    browser.get(linkFromMail(email, "Reset your password", "/reset-password"));
    browser.await(ExpectedConditions.visibilityOfElementLocated(By.id("newPassword")));
    browser.findElement(By.id("newPassword")).sendKeys("password" + Keys.ENTER);
    browser.await(ExpectedConditions.visibilityOfElementLocated(By.id("newPassword-error")));
    assertThat(text("newPassword-error")).contains("common");

    String newPassword = "a brand new password for the tides";
    WebElement field = browser.findElement(By.id("newPassword"));
    field.clear();
    field.sendKeys(newPassword + Keys.ENTER);
    browser.await(ExpectedConditions.visibilityOfElementLocated(By.id("done")));
    assertThat(browser.findElements(By.id("newPassword-error"))).isEmpty();
    Browser.screenshot(browser, "reset-password-done");

    assertThat(server.api().signIn(email, PASSWORD).status()).isEqualTo(401);
    assertThat(server.api().signIn(email, newPassword).status()).isEqualTo(200);
  }

  @Test
  void accountPageChangesTheDisplayNameAndDownloadsTheReadersData() {
    String email = Api.uniqueEmail("account");
    server.api().register(email, PASSWORD);
    browser.get(server.baseUrl + "/sign-in.html?next=/account.html");
    browser.findElement(By.id("email")).sendKeys(email);
    browser.findElement(By.id("password")).sendKeys(PASSWORD + Keys.ENTER);
    awaitText("who", "Ada");

    WebElement name = browser.findElement(By.id("displayName"));
    name.clear();
    name.sendKeys("Grace");
    browser.findElement(By.cssSelector("#profile button[type=submit]")).click();
    awaitText("profile-status", "Saved.");
    awaitText("who", "Grace");
    awaitText("greeting", "Signed in as Grace");
    assertThat(meOfBrowser().displayName()).isEqualTo("Grace");

    browser.findElement(By.cssSelector("#data button[type=submit]")).click();
    browser.await(
        ExpectedConditions.textMatches(By.id("data-status"), Pattern.compile("^Downloaded")));
    assertThat(text("data-status"))
        .contains("my-data.json")
        .contains("member")
        .contains("consents")
        .contains("sessions");
    WebElement link = browser.findElement(By.id("data-link"));
    assertThat(link.getAttribute("href")).startsWith("blob:" + server.baseUrl);
    assertThat(link.getAttribute("download")).isEqualTo("my-data.json");
    Browser.screenshot(browser, "account-data-downloaded");

    browser.navigate().refresh();
    awaitText("who", "Grace");
    assertThat(browser.findElement(By.id("displayName")).getAttribute("value")).isEqualTo("Grace");
  }

  @Test
  void accountPageChangesThePasswordShowingEachProblemWhereItBelongs() {
    String email = Api.uniqueEmail("password-change");
    server.api().register(email, PASSWORD);
    signInOnThePage(email, PASSWORD);

    String newPassword = "an entirely different sentence";
    fill("currentPassword", "not the current password");
    fill("newPassword", newPassword + Keys.ENTER);
    browser.await(
        ExpectedConditions.textMatches(
            By.cssSelector("#password [role=alert]"), Pattern.compile("\\S+")));
    assertThat(browser.findElements(By.id("newPassword-error"))).isEmpty();

    fill("currentPassword", PASSWORD);
    fill("newPassword", "password" + Keys.ENTER);
    browser.await(ExpectedConditions.visibilityOfElementLocated(By.id("newPassword-error")));
    assertThat(text("newPassword-error")).startsWith("New password").contains("common");
    assertThat(browser.findElement(By.id("newPassword")).getAttribute("aria-invalid"))
        .isEqualTo("true");

    fill("currentPassword", PASSWORD);
    fill("newPassword", newPassword + Keys.ENTER);
    awaitText("password-status", "Password changed. Your other devices have been signed out.");
    assertThat(browser.findElements(By.id("newPassword-error"))).isEmpty();
    assertThat(browser.findElement(By.id("newPassword")).getAttribute("aria-invalid")).isNull();
    assertThat(server.api().signIn(email, newPassword).status()).isEqualTo(200);
    assertThat(server.api().signIn(email, PASSWORD).status()).isEqualTo(401);
  }

  @Test
  void accountPageSendsAnonymousReadersToSignIn() {
    browser.get(server.baseUrl + "/account.html");
    browser.await(ExpectedConditions.visibilityOfElementLocated(By.id("signed-out")));
    assertThat(browser.findElement(By.id("signed-in")).isDisplayed()).isFalse();
    assertThat(
            browser
                .findElement(By.cssSelector("#signed-out a[href^='/sign-in.html']"))
                .isDisplayed())
        .isTrue();
    Browser.screenshot(browser, "account-anonymous");
  }

  // --- helpers ---

  private record JsonMember(String email, String displayName, boolean marketingConsent) {}

  /** What GET /api/me says for the browser's own session cookie. */
  private JsonMember meOfBrowser() {
    Api.Response me = server.api().withSessionToken(sessionOfBrowser()).get("/api/me");
    assertThat(me.status()).as(me.toString()).isEqualTo(200);
    var json = me.json();
    return new JsonMember(
        json.getString("email"),
        json.isNull("displayName") ? null : json.getString("displayName"),
        json.getBoolean("marketingConsent"));
  }

  private String sessionOfBrowser() {
    Cookie cookie = browser.manage().getCookieNamed("session");
    return cookie == null ? "signed-out" : cookie.getValue();
  }

  private void signInOnThePage(String email, String password) {
    browser.get(server.baseUrl + "/sign-in.html?next=/account.html");
    browser.findElement(By.id("email")).sendKeys(email);
    browser.findElement(By.id("password")).sendKeys(password + Keys.ENTER);
    awaitText("who", "Ada");
  }

  private void fill(String id, String value) {
    WebElement field = browser.findElement(By.id(id));
    field.clear();
    field.sendKeys(value);
  }

  /** Presses Tab until the element with this id has the focus (keyboard-only navigation). */
  private WebElement tabTo(String id) {
    for (int i = 0; i < 40; i++) {
      WebElement active = browser.switchTo().activeElement();
      if (id.equals(active.getAttribute("id"))) {
        return active;
      }
      active.sendKeys(Keys.TAB);
    }
    throw new AssertionError("Tab never reached #" + id);
  }

  private static String linkFromMail(String to, String subject, String path) {
    Pattern link =
        Pattern.compile(Pattern.quote(server.baseUrl + path) + "\\?token=[A-Za-z0-9%._~-]+");
    return Await.until(
        Duration.ofSeconds(30),
        () ->
            new Mailbox(server)
                .textsTo(to, subject).stream()
                    .map(link::matcher)
                    .filter(Matcher::find)
                    .map(Matcher::group)
                    .findFirst()
                    .orElse(null),
        java.util.Objects::nonNull,
        () -> "a mail '" + subject + "' to " + to + " with a link to " + path);
  }

  private String text(String id) {
    return browser.findElement(By.id(id)).getText();
  }

  private void awaitText(String id, String expected) {
    browser.await(ExpectedConditions.textToBe(By.id(id), expected));
  }
}
