package io.keepcluster.it.harness;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.logging.Level;
import org.openqa.selenium.By;
import org.openqa.selenium.Cookie;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.logging.LogEntry;
import org.openqa.selenium.logging.LogType;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * One headless Chromium (Debian's {@code chromium} through its {@code chromedriver}) on one
 * node's management console. Each browser has its own profile, so its session cookie is its own.
 * Selenium Manager never runs: the driver and the browser are given, and {@code SE_OFFLINE} is set.
 */
public final class ConsoleBrowser implements AutoCloseable {

  public static final Dimension DESKTOP = new Dimension(1280, 800);
  public static final Dimension NARROW = new Dimension(420, 860);
  private static final Duration WAIT = Duration.ofSeconds(30);

  private final ChromeDriver driver;
  private final ChromeDriverService service;
  private final String base;

  private ConsoleBrowser(ChromeDriver driver, ChromeDriverService service, String base) {
    this.driver = driver;
    this.service = service;
    this.base = base;
  }

  /** Opens {@code node}'s console at 1280x800. */
  public static ConsoleBrowser open(NodeProcess node) {
    System.setProperty("SE_OFFLINE", "true");
    File chromedriver = new File(System.getProperty("keepcluster.chromedriver", "/usr/bin/chromedriver"));
    File chromium = new File(System.getProperty("keepcluster.chromium", "/usr/bin/chromium"));
    if (!chromedriver.canExecute() || !chromium.canExecute()) {
      throw new IllegalStateException("ConsoleIT needs Debian's chromium and chromedriver (" + chromium + ", "
          + chromedriver + "): apt-get install chromium chromium-driver (.ci/run does)");
    }
    ChromeDriverService service = new ChromeDriverService.Builder().usingDriverExecutable(chromedriver)
        .usingAnyFreePort().build();
    ChromeOptions options = new ChromeOptions().setBinary(chromium).addArguments("--headless=new",
        "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--disable-background-networking",
        "--disable-component-update", "--disable-sync", "--no-first-run", "--window-size=1280,800");
    // The browser's console log, to prove the page broke no CSP rule and threw no error.
    options.setCapability("goog:loggingPrefs", Map.of("browser", "ALL"));
    ChromeDriver driver = new ChromeDriver(service, options);
    String base = "http://127.0.0.1:" + node.ports().management();
    ConsoleBrowser browser = new ConsoleBrowser(driver, service, base);
    browser.size(DESKTOP);
    driver.get(base + "/console/");
    return browser;
  }

  public String baseUrl() {
    return base;
  }

  public void signIn(String account, String password) {
    WebElement name = visible("login-username");
    name.clear();
    name.sendKeys(account);
    WebElement secret = driver.findElement(By.id("login-password"));
    secret.clear();
    secret.sendKeys(password);
    click(By.id("login-submit")); // waits until the previous attempt has been answered
  }

  public void awaitSignedIn() {
    visible("app");
  }

  public void page(String name) {
    driver.get(base + "/console/#" + name);
    visible("page-" + name);
  }

  public WebElement visible(String id) {
    return new WebDriverWait(driver, WAIT).until(ExpectedConditions.visibilityOfElementLocated(By.id(id)));
  }

  public WebElement find(By by) {
    return driver.findElement(by);
  }

  /** Waits until the element {@code by} shows text containing {@code text}. */
  public void awaitText(By by, String text) {
    new WebDriverWait(driver, WAIT).until(ExpectedConditions.textToBePresentInElementLocated(by, text));
  }

  public void awaitText(By by, String text, Duration within) {
    new WebDriverWait(driver, within).until(ExpectedConditions.textToBePresentInElementLocated(by, text));
  }

  public String text(String id) {
    return driver.findElement(By.id(id)).getText();
  }

  public void click(By by) {
    new WebDriverWait(driver, WAIT).until(ExpectedConditions.elementToBeClickable(by)).click();
  }

  /** The session cookie as a {@code Cookie:} header value (WebDriver sees HttpOnly cookies). */
  public String cookieHeader(String name) {
    Cookie cookie = driver.manage().getCookieNamed(name);
    if (cookie == null) {
      throw new IllegalStateException("no cookie " + name + " in the browser");
    }
    return cookie.getName() + "=" + cookie.getValue();
  }

  /**
   * Severe browser-console entries since the last call (script errors, CSP refusals), except the
   * failed requests the console makes on purpose (a 401 before sign-in, a 404 of a missing API).
   */
  public List<String> consoleErrors() {
    return driver.manage().logs().get(LogType.BROWSER).getAll().stream()
        .filter(entry -> entry.getLevel().intValue() >= Level.SEVERE.intValue())
        .map(LogEntry::getMessage)
        .filter(message -> !message.contains("the server responded with a status of"))
        .toList();
  }

  public Cookie cookie(String name) {
    return driver.manage().getCookieNamed(name);
  }

  /** Scrolls the page so the element {@code by} is at the top of the window. */
  public void scrollTo(By by) {
    driver.executeScript("arguments[0].scrollIntoView({block: 'start'});", driver.findElement(by));
  }

  /** Makes the page's viewport (not the window, which has the browser's frame) {@code size}. */
  public void size(Dimension size) {
    driver.manage().window().setSize(size);
    Object inner = driver.executeScript("return [window.innerWidth, window.innerHeight];");
    if (inner instanceof List<?> list && list.size() == 2) {
      int width = ((Number) list.get(0)).intValue();
      int height = ((Number) list.get(1)).intValue();
      driver.manage().window().setSize(new Dimension(2 * size.width - width, 2 * size.height - height));
    }
  }

  /**
   * Saves a screenshot as {@code name}.png: into the repository's {@code docs/console} when the
   * system property {@code keepcluster.console.screenshots} (or env {@code KEEP_CONSOLE_SCREENSHOTS})
   * is {@code docs}, else into {@code target/console-screenshots}.
   */
  public Path screenshot(String name) {
    String where = System.getProperty("keepcluster.console.screenshots",
        System.getenv().getOrDefault("KEEP_CONSOLE_SCREENSHOTS", "target"));
    Path dir = "docs".equals(where)
        ? Path.of(System.getProperty("keepcluster.repo.dir", "..")).resolve("docs/console")
        : Path.of("target/console-screenshots");
    try {
      Files.createDirectories(dir);
      Path file = dir.resolve(name + ".png");
      Files.copy(driver.getScreenshotAs(OutputType.FILE).toPath(), file, StandardCopyOption.REPLACE_EXISTING);
      return file;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot save the screenshot " + name, e);
    }
  }

  @Override
  public void close() {
    try {
      driver.quit();
    } finally {
      service.stop();
    }
  }
}
