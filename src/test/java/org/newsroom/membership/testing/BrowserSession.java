package org.newsroom.membership.testing;

import java.time.Duration;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.Keys;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.support.ui.ExpectedCondition;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * One headless Chromium for a test class, as a JUnit extension: started before the class's first
 * test and quit after its last, whatever happens between. The session is the browser itself (a
 * {@link WebDriver}), so a test drives it directly:
 *
 * <pre>
 * &#64;RegisterExtension static final BrowserSession browser = new BrowserSession();
 * ...
 * browser.get(server.baseUrl + "/sign-in.html");
 * browser.await(ExpectedConditions.urlContains("/account.html"));
 * </pre>
 */
public final class BrowserSession
    implements WebDriver, JavascriptExecutor, TakesScreenshot, BeforeAllCallback, AfterAllCallback {

  private ChromeDriver chrome;

  @Override
  public void beforeAll(ExtensionContext context) {
    chrome = (ChromeDriver) Browser.start();
  }

  @Override
  public void afterAll(ExtensionContext context) {
    if (chrome != null) {
      chrome.quit();
      chrome = null;
    }
  }

  /** The browser itself, for what only Chromium offers (DevTools commands). */
  public ChromeDriver chrome() {
    return chrome;
  }

  /** Waits up to 20 s for the page to reach a state, and returns what the condition found. */
  public <T> T await(ExpectedCondition<T> condition) {
    return new WebDriverWait(chrome, Duration.ofSeconds(20)).until(condition);
  }

  /** A stranger again: no cookies and nothing stored by the site at {@code baseUrl}. */
  public void forget(String baseUrl) {
    chrome.get(baseUrl + "/index.html");
    chrome.executeScript("localStorage.clear(); sessionStorage.clear();");
    chrome.manage().deleteAllCookies();
  }

  /** Signs in on the site's own page, as a reader would, and waits for their account page. */
  public void signIn(String baseUrl, String email, String password) {
    chrome.get(baseUrl + "/sign-in.html");
    chrome.findElement(By.id("email")).sendKeys(email);
    chrome.findElement(By.id("password")).sendKeys(password + Keys.ENTER);
    await(ExpectedConditions.urlContains("/account.html"));
  }

  public void screenshot(String name) {
    Browser.screenshot(chrome, name);
  }

  @Override
  public void get(String url) {
    chrome.get(url);
  }

  @Override
  public String getCurrentUrl() {
    return chrome.getCurrentUrl();
  }

  @Override
  public String getTitle() {
    return chrome.getTitle();
  }

  @Override
  public List<WebElement> findElements(By by) {
    return chrome.findElements(by);
  }

  @Override
  public WebElement findElement(By by) {
    return chrome.findElement(by);
  }

  @Override
  public String getPageSource() {
    return chrome.getPageSource();
  }

  @Override
  public void close() {
    chrome.close();
  }

  @Override
  public void quit() {
    chrome.quit();
  }

  @Override
  public Set<String> getWindowHandles() {
    return chrome.getWindowHandles();
  }

  @Override
  public String getWindowHandle() {
    return chrome.getWindowHandle();
  }

  @Override
  public TargetLocator switchTo() {
    return chrome.switchTo();
  }

  @Override
  public Navigation navigate() {
    return chrome.navigate();
  }

  @Override
  public Options manage() {
    return chrome.manage();
  }

  @Override
  public Object executeScript(String script, Object... args) {
    return chrome.executeScript(script, args);
  }

  @Override
  public Object executeAsyncScript(String script, Object... args) {
    return chrome.executeAsyncScript(script, args);
  }

  @Override
  public <X> X getScreenshotAs(OutputType<X> target) {
    return chrome.getScreenshotAs(target);
  }
}
