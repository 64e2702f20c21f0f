package dev.runbus.ui;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.function.Function;
import org.junit.jupiter.api.Assumptions;
import org.openqa.selenium.By;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.StaleElementReferenceException;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

/** Headless Chromium for the workspace tests (a stand-in until the shared harness is merged). */
final class WorkspaceBrowser implements AutoCloseable {
  private static final Duration WAIT = Duration.ofSeconds(45);
  private final ChromeDriver driver;
  private final Path profile;

  private WorkspaceBrowser(ChromeDriver driver, Path profile) {
    this.driver = driver;
    this.profile = profile;
  }

  private static String onPath(String env, String name) {
    String given = System.getenv(env);
    if (given != null && !given.isBlank()) {
      return given;
    }
    for (String d : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) {
      Path p = Path.of(d, name);
      if (Files.isExecutable(p)) {
        return p.toString();
      }
    }
    return null;
  }

  static void assumeAvailable() {
    boolean present = onPath("RUNBUS_TEST_CHROMIUM", "chromium") != null
        && onPath("RUNBUS_TEST_CHROMEDRIVER", "chromedriver") != null;
    if (!present && "true".equals(System.getenv("RUNBUS_TEST_BROWSER_REQUIRED"))) {
      throw new AssertionError("chromium and chromedriver are required on PATH");
    }
    Assumptions.assumeTrue(present, "chromium and chromedriver are not on PATH");
  }

  static WorkspaceBrowser start() {
    try {
      Path profile = Files.createTempDirectory("ui-profile");
      ChromeOptions options = new ChromeOptions();
      options.setBinary(onPath("RUNBUS_TEST_CHROMIUM", "chromium"));
      options.addArguments("--headless=new", "--no-sandbox", "--disable-dev-shm-usage",
          "--window-size=1400,1000", "--user-data-dir=" + profile);
      ChromeDriverService service = new ChromeDriverService.Builder()
          .usingDriverExecutable(new File(onPath("RUNBUS_TEST_CHROMEDRIVER", "chromedriver")))
          .usingAnyFreePort().build();
      return new WorkspaceBrowser(new ChromeDriver(service, options), profile);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  ChromeDriver driver() {
    return driver;
  }

  void login(String baseUrl, String key) {
    driver.get(baseUrl + "/login");
    waitFor(By.cssSelector("input#key")).sendKeys(key);
    driver.findElement(By.cssSelector("button#sign-in")).click();
    until(d -> !d.getCurrentUrl().contains("/login"));
  }

  WebElement waitFor(By by) {
    return new WebDriverWait(driver, WAIT).until(ExpectedConditions.presenceOfElementLocated(by));
  }

  <T> T until(Function<WebDriver, T> condition) {
    // pages redraw their charts: an element found a moment ago may be gone, so look again
    return new WebDriverWait(driver, WAIT)
        .ignoring(StaleElementReferenceException.class)
        .until(condition::apply);
  }

  void screenshot(String name) {
    try {
      Path dir = Path.of("target", "ui-screenshots");
      Files.createDirectories(dir);
      Files.write(dir.resolve(name + ".png"), driver.getScreenshotAs(OutputType.BYTES));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @Override
  public void close() {
    driver.quit();
  }
}
