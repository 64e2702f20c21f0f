package dev.runbus.ui;

import static org.junit.jupiter.api.Assertions.fail;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * A real headless Chromium driven through chromedriver, both found on PATH ({@code chromium},
 * {@code chromedriver}; {@code RUNBUS_TEST_CHROMIUM} and {@code RUNBUS_TEST_CHROMEDRIVER} name
 * others). The driver's path is given to Selenium, so Selenium Manager never downloads anything.
 * Each browser gets a fresh profile, deleted at close. Without a browser the test is skipped, unless
 * {@code RUNBUS_TEST_BROWSER_REQUIRED=true} (CI), where it fails.
 */
public final class Browser implements AutoCloseable {

  /** How long a wait lasts before the test fails: generous, a shared 2-core machine is slow. */
  public static final Duration WAIT = Duration.ofSeconds(30);
  public static final Path SCREENSHOTS = Path.of("target", "ui-screenshots");

  /**
   * Selenium warns on every start that it has no DevTools classes for this Chromium's version; the
   * tests use WebDriver only. Held here so the setting is not collected with the logger.
   */
  private static final java.util.logging.Logger CDP_NOTICES = quietCdpNotices();

  private final ChromeDriver driver;
  private final ChromeDriverService service;
  private final Path profile;

  private Browser(ChromeDriver driver, ChromeDriverService service, Path profile) {
    this.driver = driver;
    this.service = service;
    this.profile = profile;
  }

  /** A new headless browser, or the test skipped (failed when a browser is required). */
  public static Browser start() throws IOException {
    Optional<Path> chromium = executable("RUNBUS_TEST_CHROMIUM", "chromium", "chromium-browser", "google-chrome");
    Optional<Path> chromedriver = executable("RUNBUS_TEST_CHROMEDRIVER", "chromedriver");
    if (chromium.isEmpty() || chromedriver.isEmpty()) {
      String missing =
          "browser tests need chromium and chromedriver on PATH (Debian: apt-get install chromium"
              + " chromium-driver); found chromium="
              + chromium.map(Path::toString).orElse("none")
              + ", chromedriver="
              + chromedriver.map(Path::toString).orElse("none");
      if ("true".equals(System.getenv("RUNBUS_TEST_BROWSER_REQUIRED"))) {
        fail(missing + ", and RUNBUS_TEST_BROWSER_REQUIRED=true");
      }
      Assumptions.assumeTrue(false, missing);
    }
    Path profile = Files.createTempDirectory("runbus-browser-profile-");
    ChromeOptions options = new ChromeOptions();
    options.setBinary(chromium.get().toFile());
    options.addArguments(
        "--headless=new",
        "--no-sandbox",
        "--disable-dev-shm-usage",
        "--disable-gpu",
        "--no-first-run",
        "--no-default-browser-check",
        "--disable-extensions",
        "--window-size=1400,1000",
        "--user-data-dir=" + profile);
    // downloads land in the profile (deleted with it), without asking
    options.setExperimentalOption(
        "prefs",
        java.util.Map.of(
            "download.default_directory", profile.resolve("downloads").toString(),
            "download.prompt_for_download", false));
    ChromeDriverService service =
        new ChromeDriverService.Builder()
            .usingDriverExecutable(chromedriver.get().toFile())
            .usingAnyFreePort()
            .withSilent(true)
            .build();
    ChromeDriver driver = new ChromeDriver(service, options);
    driver.manage().timeouts().pageLoadTimeout(WAIT);
    return new Browser(driver, service, profile);
  }

  private static java.util.logging.Logger quietCdpNotices() {
    java.util.logging.Logger logger = java.util.logging.Logger.getLogger("org.openqa.selenium.devtools");
    logger.setLevel(java.util.logging.Level.SEVERE);
    return logger;
  }

  /** An executable named by the environment variable, else the first of the names on PATH. */
  static Optional<Path> executable(String variable, String... names) {
    String named = System.getenv(variable);
    if (named != null && !named.isBlank()) {
      Path p = Path.of(named);
      return Files.isExecutable(p) ? Optional.of(p) : Optional.empty();
    }
    String path = System.getenv("PATH");
    if (path == null) {
      return Optional.empty();
    }
    for (String name : names) {
      for (String dir : path.split(File.pathSeparator)) {
        if (dir.isEmpty()) {
          continue;
        }
        Path candidate = Path.of(dir, name);
        if (Files.isRegularFile(candidate) && Files.isExecutable(candidate)) {
          return Optional.of(candidate);
        }
      }
    }
    return Optional.empty();
  }

  /** Where the browser saves downloads. */
  public Path downloads() {
    return profile.resolve("downloads");
  }

  public WebDriver driver() {
    return driver;
  }

  public void open(String url) {
    driver.get(url);
  }

  /** Signs in on the login page with this key and waits until the app's page has loaded. */
  public void login(String baseUrl, String key) {
    open(baseUrl + "/login");
    WebElement field = visible(By.id("key"));
    field.sendKeys(key);
    driver.findElement(By.id("sign-in")).click();
    waitUntil(d -> !d.getCurrentUrl().contains("/login"));
    visible(By.id("app"));
  }

  /** The element once it is visible. */
  public WebElement visible(By by) {
    return new WebDriverWait(driver, WAIT).until(ExpectedConditions.visibilityOfElementLocated(by));
  }

  /**
   * The elements once at least one is present, found in one look (a page that redraws may
   * replace them between a wait and a second look, which would find none).
   */
  public List<WebElement> all(By by) {
    return new WebDriverWait(driver, WAIT)
        .withMessage("no element " + by)
        .until(d -> {
          List<WebElement> found = d.findElements(by);
          return found.isEmpty() ? null : found;
        });
  }

  /** Waits until the condition holds (neither null nor false), and returns what it gave. */
  public <T> T waitUntil(Function<WebDriver, T> condition) {
    return new WebDriverWait(driver, WAIT).until(condition::apply);
  }

  /** Waits until the condition holds, naming it in the failure. */
  public <T> T waitUntil(String what, Function<WebDriver, T> condition) {
    return new WebDriverWait(driver, WAIT).withMessage(what).until(condition::apply);
  }

  public Object script(String js, Object... args) {
    return ((JavascriptExecutor) driver).executeScript(js, args);
  }

  /** Saves a PNG of the window as {@code target/ui-screenshots/<name>.png}; returns its path. */
  public Path screenshot(String name) throws IOException {
    Files.createDirectories(SCREENSHOTS);
    Path shot = ((TakesScreenshot) driver).getScreenshotAs(OutputType.FILE).toPath();
    Path target = SCREENSHOTS.resolve(name + ".png");
    Files.copy(shot, target, StandardCopyOption.REPLACE_EXISTING);
    return target;
  }

  @Override
  public void close() throws IOException {
    try {
      driver.quit();
    } finally {
      service.stop();
      try (Stream<Path> files = Files.walk(profile)) {
        files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
      }
    }
  }
}
