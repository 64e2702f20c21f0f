package dev.runbus.ui;

import static dev.runbus.ui.WorkspaceRuns.ENTITY;
import static dev.runbus.ui.WorkspaceRuns.PROJECT;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.runbus.Run;
import dev.runbus.Runbus;
import dev.runbus.testing.ReadApiClient;
import dev.runbus.testing.ServerProcess;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import java.util.function.Function;
import org.openqa.selenium.By;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.StaleElementReferenceException;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.interactions.Actions;
import org.openqa.selenium.support.ui.Select;

/**
 * The run workspace and the comparison in headless Chromium against the packaged jar's server:
 * charts grouped by key prefix with every point of a short run, a long run sampled to the chart's
 * width with its spike kept, the x axis and smoothing controls, a W&B-shaped run (console with
 * its stderr line, system metrics, metadata), two runs overlaid, and a running run's chart
 * growing while it is watched.
 */
@Timeout(value = 5, unit = java.util.concurrent.TimeUnit.MINUTES)
class UiWorkspaceIT {
  private static final long SHORT = 300;
  private static final long LONG = 20_000;
  private static final int WANDB_STEPS = 200;
  private static final int WIDE = 60;

  private static Path dir;
  private static ServerProcess server;
  private static String key;
  private static WorkspaceRuns runs;
  private static int wandbPoints;

  private Browser browser;

  @BeforeAll
  static void startServerWithRuns() throws Exception {
    Browser.start().close(); // skips (or fails, when required) before seeding if there is none
    dir = Files.createTempDirectory("ui-workspace-it");
    Path data = dir.resolve("data");
    key = ServerProcess.createKey(data, null, ENTITY);
    server = ServerProcess.start(data, null);
    runs = new WorkspaceRuns(server.url(), key, dir.resolve("clients"));
    runs.finishedRun("steady", SHORT, 0);
    runs.finishedRun("other", SHORT, 1);
    runs.finishedRun("long", LONG, 0);
    runs.wideRun("wide", WIDE, SHORT);
    wandbPoints = runs.wandbShapedRun("pyrun", WANDB_STEPS);
    runs.wandbCoreRun("corerun");
  }

  @AfterAll
  static void stopServer() throws Exception {
    if (server != null) {
      server.terminate();
    }
  }

  @BeforeEach
  void signIn() throws Exception {
    browser = Browser.start();
    browser.login(server.url(), key);
  }

  @AfterEach
  void closeBrowser() throws Exception {
    if (browser != null) {
      browser.close();
    }
  }

  private String runPage(String run) {
    return server.url() + "/" + ENTITY + "/" + PROJECT + "/runs/" + run;
  }

  private WebElement chart(String key) {
    return present(By.cssSelector("div.chart[data-key=\"" + key + "\"][data-ready=\"true\"]"));
  }

  private WebElement present(By by) {
    return browser.all(by).get(0);
  }

  private Object script(String js, Object... args) {
    return browser.script(js, args);
  }

  /** Waits for the condition; charts are redrawn, so an element found a moment ago may be gone. */
  private <T> T until(Function<WebDriver, T> condition) {
    return browser.waitUntil(d -> {
      try {
        return condition.apply(d);
      } catch (StaleElementReferenceException redrawn) {
        return null;
      }
    });
  }

  @Test
  void aShortRunShowsEveryPointInChartsGroupedByPrefix() throws Exception {
    browser.driver().get(runPage("steady"));
    present(By.cssSelector("section.panel-group[data-prefix=\"train\"]"));
    present(By.cssSelector("section.panel-group[data-prefix=\"val\"]"));
    assertEquals("300", chart("train/loss").getDomAttribute("data-points"));
    assertEquals("300", chart("val/loss").getDomAttribute("data-points"));
    assertTrue(browser.driver().findElement(By.cssSelector("#run-header")).getText().contains("steady"));
    present(By.cssSelector("#run-header .state-finished"));
    assertTrue(browser.driver().findElement(By.id("config")).getText().contains("adam"));
  }

  @Test
  void aLongRunIsSampledToTheChartsWidthAndKeepsItsSpike() {
    browser.driver().get(runPage("long"));
    WebElement chart = chart("train/loss");
    int points = Integer.parseInt(chart.getDomAttribute("data-points"));
    long width = ((Number) script("return arguments[0].clientWidth", chart)).longValue();
    long samples = Math.max(200, Math.min(2000, width));
    assertTrue(points <= samples && points >= 100,
        points + " points drawn for a chart " + width + " px wide (at most " + samples + ")");
    double max = ((Number) script(
        "const ys = arguments[0].chart.data()[1].filter(v => v != null); return Math.max(...ys);",
        chart)).doubleValue();
    assertEquals(WorkspaceRuns.SPIKE, max, 0.0, "the spike at step " + WorkspaceRuns.SPIKE_STEP);
  }

  @Test
  void theXAxisRedrawsOnRuntime() {
    browser.driver().get(runPage("steady"));
    WebElement chart = chart("train/loss");
    assertEquals(SHORT - 1, lastX(chart), 0.0, "x is the step first");
    new Select(browser.driver().findElement(By.id("x-axis"))).selectByValue("_runtime");
    until(d -> lastX(chart("train/loss")) < SHORT - 1);
    // the whole run logged in far less than 299 s: every point is there, on its runtime
    assertEquals("300", chart("train/loss").getDomAttribute("data-points"));
    double last = lastX(chart("train/loss"));
    assertTrue(last > 0 && last < 120, "last runtime " + last);
  }

  private double lastX(WebElement chart) {
    return ((Number) script(
        "const xs = arguments[0].chart.data()[0]; return xs[xs.length - 1];", chart)).doubleValue();
  }

  @Test
  void smoothingDrawsTheMovingAverageOverTheFaintRawLine() {
    browser.driver().get(runPage("steady"));
    chart("train/loss");
    script("const s = document.getElementById('smoothing'); s.value = '0.9';"
        + " s.dispatchEvent(new Event('input'));");
    until(d -> ((Number) script(
        "return document.querySelector('div.chart[data-key=\"train/loss\"]').chart.data().length",
        new Object[0])).intValue() == 3);
    @SuppressWarnings("unchecked")
    List<Number> differences = (List<Number>) script(
        "const d = arguments[0].chart.data();"
            + " return [Math.abs(d[1][150] - d[2][150]), Math.abs(d[1][0] - d[2][0])];",
        chart("train/loss"));
    assertTrue(differences.get(0).doubleValue() > 1e-6, "smoothed differs from raw mid-run");
    assertEquals(0.0, differences.get(1).doubleValue(), 1e-12, "debiased: the first point stays");
    script("document.getElementById('log-scale').click();");
    // uPlot's distr 3 is its log scale
    until(d -> ((Number) script(
        "return document.querySelector('div.chart[data-key=\"train/loss\"]').chart.uplot.scales.y.distr",
        new Object[0])).intValue() == 3);
  }

  @Test
  void aRunInWandbsShapesOpensWithChartsConsoleSystemMetricsAndMetadata() throws Exception {
    browser.driver().get(runPage("pyrun"));
    assertEquals(String.valueOf(wandbPoints), chart("train/loss").getDomAttribute("data-points"));
    WebElement stderr = present(By.cssSelector("pre#console span.stderr"));
    assertTrue(stderr.getText().contains("learning rate is high"), stderr.getText());
    assertEquals(1, browser.driver().findElements(By.cssSelector("pre#console span.stderr")).size());
    present(By.cssSelector("section#system div.chart[data-key=\"system.cpu\"][data-ready=\"true\"]"));
    until(d -> d.findElement(By.id("metadata")).getText().contains("3.11.2"));
    assertTrue(browser.driver().findElement(By.id("metadata")).getText().contains("4f2a9c1"));
    assertTrue(browser.driver().findElement(By.id("files")).getText().contains("wandb-metadata.json"));
    // the whole page, for the docs
    browser.driver().manage().window().setSize(new Dimension(1400, 2000));
    until(d -> ((Number) script("return window.innerHeight", new Object[0])).intValue() > 1500);
    browser.screenshot("run");
  }

  @Test
  void aRunLoggedByWandbCore030OpensAsItsRecordedRequestsLeftIt() {
    // W&B 0.30's requests as recorded: 2,000 rows of m0…m9 (m0 = step / 1000), one system
    // metrics line, the summary, the exit; its metadata only in config._wandb.e
    browser.driver().get(runPage("corerun"));
    present(By.cssSelector("#run-header .state-finished"));
    assertEquals(
        List.of("m0", "m1", "m2", "m3", "m4", "m5", "m6", "m7", "m8", "m9"), chartedKeys());
    WebElement m0 = chart("m0");
    int points = Integer.parseInt(m0.getDomAttribute("data-points"));
    assertTrue(points >= 200 && points < 2000, points + " points: sampled to the chart's width");
    assertEquals(1.999, ((Number) script(
        "const ys = arguments[0].chart.data()[1].filter(v => v != null); return Math.max(...ys);",
        m0)).doubleValue(), 1e-9, "the last row's value, kept by the min/max sampling");
    assertTrue(browser.driver().findElement(By.id("summary")).getText().contains("10.999"));
    assertTrue(browser.driver().findElement(By.id("config")).getText().contains("2000"));
    WebElement cpu = present(By.cssSelector("section#system div.chart[data-key=\"system.cpu\"]"));
    script("arguments[0].scrollIntoView()", cpu);
    present(By.cssSelector("section#system div.chart[data-key=\"system.cpu\"][data-ready=\"true\"]"));
    present(By.cssSelector(
        "section#system div.chart[data-key=\"system.disk./.usagePercent\"][data-ready=\"true\"]"));
    until(d -> d.findElement(By.id("metadata")).getText().contains("CPython 3.11.2"));
    String metadata = browser.driver().findElement(By.id("metadata")).getText();
    for (String shown : List.of("Linux-6.18.44", "/home/user/train.py", "23.5 GiB",
        "Disk / 23.6 GiB used of 252.0 GiB")) {
      assertTrue(metadata.contains(shown), metadata + "\nshows " + shown);
    }
  }

  @Test
  void dragZoomsHoverShowsValuesOnEveryChartAndDoubleClickResets() {
    browser.driver().get(runPage("steady"));
    WebElement loss = chart("train/loss");
    chart("val/loss");
    double full = xSpan(loss);
    WebElement over = loss.findElement(By.cssSelector(".u-over"));
    int width = over.getSize().getWidth();
    // drag across the middle half of the plot
    new Actions(browser.driver())
        .moveToElement(over, -width / 4, 0)
        .clickAndHold()
        .moveByOffset(width / 2, 0)
        .release()
        .perform();
    until(d -> xSpan(chart("train/loss")) < full * 0.75);

    // hovering one chart moves the cursor of the others of the page to the same point
    new Actions(browser.driver())
        .moveToElement(chart("train/loss").findElement(By.cssSelector(".u-over")), 10, 0)
        .perform();
    until(d -> cursorIndex(chart("train/loss")) != null);
    until(d -> cursorIndex(chart("train/loss")).equals(cursorIndex(chart("val/loss"))));
    String shown =
        chart("train/loss")
            .findElement(By.cssSelector(".u-legend .u-series:nth-child(2) .u-value"))
            .getText();
    assertTrue(shown.matches("-?[0-9.]+(e[-+]?[0-9]+)?"), "the hovered value: " + shown);

    new Actions(browser.driver()).doubleClick(chart("train/loss").findElement(By.cssSelector(".u-over"))).perform();
    until(d -> Math.abs(xSpan(chart("train/loss")) - full) < 1e-9);
  }

  private double xSpan(WebElement chart) {
    return ((Number) script(
        "const x = arguments[0].chart.uplot.scales.x; return x.max - x.min;", chart)).doubleValue();
  }

  private Number cursorIndex(WebElement chart) {
    return (Number) script("return arguments[0].chart.uplot.cursor.idx;", chart);
  }

  @Test
  void systemChartsFollowWallTimeAndOtherwiseStayOnSeconds() {
    browser.driver().get(runPage("pyrun"));
    By cpu = By.cssSelector("section#system div.chart[data-key=\"system.cpu\"][data-ready=\"true\"]");
    double seconds = lastX(present(cpu));
    assertTrue(seconds >= 0 && seconds < 1e6, "seconds since start: " + seconds);
    Select x = new Select(browser.driver().findElement(By.id("x-axis")));
    x.selectByValue("_timestamp");
    until(d -> lastX(present(cpu)) > 1e9); // Unix seconds
    x.selectByValue("_step"); // system metrics have no step: back on seconds since start
    until(d -> lastX(present(cpu)) == seconds);
  }

  @Test
  void twoRunsCompareOnOneChartPerKey() throws Exception {
    browser.driver().get(server.url() + "/" + ENTITY + "/" + PROJECT + "/compare?runs=steady,other");
    WebElement chart = chart("train/loss");
    assertEquals("2", chart.getDomAttribute("data-series"));
    String legend = browser.driver().findElement(By.id("compare-legend")).getText();
    for (String run : List.of("steady", "other")) {
      String name = new ReadApiClient(server.url(), key, ENTITY, PROJECT, run).run().getString("displayName");
      assertTrue(legend.contains(name), legend + " names " + name);
    }
    browser.screenshot("compare");
  }

  @Test
  void aRunOfManyMetricsDrawsItsChartsAsTheyComeNearTheScreen() {
    browser.driver().get(runPage("wide"));
    assertEquals(String.valueOf(SHORT), chart("layers/w00").getDomAttribute("data-points"));
    assertEquals(WIDE, chartedKeys().size());
    // twenty rows of charts: the last is far below the screen and waits to be seen
    WebElement last = present(By.cssSelector("div.chart[data-key=\"layers/w59\"]"));
    assertEquals(null, last.getDomAttribute("data-ready"), "drawn before it was seen");
    script("arguments[0].scrollIntoView()", last);
    assertEquals(String.valueOf(SHORT), chart("layers/w59").getDomAttribute("data-points"));
  }

  @Test
  void aChartsPointsDownloadAsCsv() throws Exception {
    browser.driver().get(runPage("steady"));
    WebElement chart = chart("train/loss");
    new Actions(browser.driver()).moveToElement(chart).perform();
    chart.findElement(By.cssSelector("button.chart-csv")).click();
    Path file = browser.downloads().resolve("train_loss.csv");
    until(d -> Files.isRegularFile(file) && Files.isReadable(file) ? file : null);
    List<String> lines = until(d -> {
      try {
        List<String> read = Files.readAllLines(file);
        return read.size() == SHORT + 1 ? read : null; // the browser may still be writing
      } catch (java.io.IOException e) {
        return null;
      }
    });
    assertEquals("step,train/loss", lines.get(0));
    double[] drawn = ((List<?>) script("return arguments[0].chart.data()[1];", chart)).stream()
        .mapToDouble(v -> ((Number) v).doubleValue()).toArray();
    for (int step = 0; step < SHORT; step++) {
      String[] fields = lines.get(step + 1).split(",");
      assertEquals(step, Long.parseLong(fields[0]));
      assertEquals(drawn[step], Double.parseDouble(fields[1]), 0.0, "step " + step);
    }
  }

  @Test
  void theChartFilterChartsOnlyMatchingMetricsAndStaysInTheLink() {
    browser.driver().get(runPage("steady"));
    chart("train/acc");
    assertEquals(List.of("train/acc", "train/loss", "val/loss"), chartedKeys());
    browser.visible(By.id("chart-filter")).sendKeys("LOSS$");
    // W&B's panel search: a case-insensitive regular expression over the metric names
    until(d -> chartedKeys().equals(List.of("train/loss", "val/loss")));
    assertEquals("300", chart("val/loss").getDomAttribute("data-points"));
    assertTrue(browser.driver().getCurrentUrl().endsWith("?filter=LOSS%24"),
        browser.driver().getCurrentUrl());
    assertTrue(present(By.cssSelector(".chart-note-global")).getText().contains("2 of 3 metrics"));

    // the link opens the same charts, and so does a comparison's
    browser.driver().get(runPage("steady") + "?filter=%5Eval");
    chart("val/loss");
    assertEquals(List.of("val/loss"), chartedKeys());
    assertEquals("^val", browser.visible(By.id("chart-filter")).getDomProperty("value"));
    browser.driver().get(server.url() + "/" + ENTITY + "/" + PROJECT
        + "/compare?runs=steady,other&filter=acc");
    assertEquals("2", chart("train/acc").getDomAttribute("data-series"));
    assertEquals(List.of("train/acc"), chartedKeys());
    WebElement filter = browser.visible(By.id("chart-filter"));
    filter.clear();
    filter.sendKeys("nothing-like-it");
    until(d -> chartedKeys().isEmpty());
    assertTrue(present(By.cssSelector(".chart-note-global")).getText()
        .contains("No metric matches “nothing-like-it”"));
  }

  /** The history charts the page shows, by key, in page order (system charts are apart). */
  @SuppressWarnings("unchecked")
  private List<String> chartedKeys() {
    return (List<String>) script("return [...document.querySelectorAll('.panels div.chart')]"
        + ".map((c) => c.dataset.key);");
  }

  @Test
  void aRunningRunsChartGrowsWhileWatched() throws Exception {
    long steps = 400;
    ReadApiClient reader = new ReadApiClient(server.url(), key, ENTITY, PROJECT, "live");
    try (Run run = Runbus.init(runs.settings("live"))) {
      // a row at an explicit step stays open until the next step's row: 50 rows, 49 on the server
      WorkspaceRuns.log(run, 0, 50, steps);
      until(d -> reader.historyLineCount() >= 49);
      browser.driver().get(runPage("live"));
      int before = Integer.parseInt(chart("train/loss").getDomAttribute("data-points"));
      assertTrue(before >= 49 && before < steps - 1, "drawn at first: " + before);
      present(By.cssSelector("body[data-live=\"true\"]"));
      WorkspaceRuns.log(run, 50, steps, steps);
      until(d -> Integer.parseInt(chart("train/loss").getDomAttribute("data-points")) >= steps - 1);
      assertEquals("running", reader.run().getString("state"), "it grew while the run was running");
    }
    present(By.cssSelector("#run-header .state-finished"));
    until(d -> String.valueOf(steps).equals(chart("train/loss").getDomAttribute("data-points")));
  }

  @Test
  void aRunningRunIsStoppedFromItsPageAndItsProgramIsTold() throws Exception {
    ReadApiClient reader = new ReadApiClient(server.url(), key, ENTITY, PROJECT, "stoppable");
    try (Run run = Runbus.init(runs.settings("stoppable"))) {
      WorkspaceRuns.log(run, 0, 20, 100);
      until(d -> reader.historyLineCount() >= 19);
      browser.driver().get(runPage("stoppable"));
      WebElement stop = browser.visible(By.id("stop-run"));
      assertEquals("Stop run", stop.getText());
      stop.click();
      // asked first: a person confirms, and the program learns at its next post
      browser.driver().switchTo().alert().accept();
      until(d -> "Stop requested".equals(d.findElement(By.id("stop-run")).getText()));
      assertTrue(reader.run().getBoolean("stopRequested"));
      long[] step = {20};
      until(d -> {
        WorkspaceRuns.log(run, step[0], ++step[0], 1000); // posting on, as a training loop does
        return run.shouldStop() ? true : null;
      });
    }
    present(By.cssSelector("#run-header .state-finished"));
    assertTrue(browser.driver().findElements(By.id("stop-run")).isEmpty(), "no stop for an ended run");
  }

  @Test
  void aComparedRunningRunGrowsWhileWatched() throws Exception {
    long steps = 200; // at most the fewest samples a chart asks for, so every point is drawn
    ReadApiClient reader = new ReadApiClient(server.url(), key, ENTITY, PROJECT, "live-compared");
    try (Run run = Runbus.init(runs.settings("live-compared"))) {
      WorkspaceRuns.log(run, 0, 50, steps);
      until(d -> reader.historyLineCount() >= 49);
      // the live run first: a chart's data-points counts its first series
      browser.driver().get(server.url() + "/" + ENTITY + "/" + PROJECT + "/compare?runs=live-compared,steady");
      int before = Integer.parseInt(chart("train/loss").getDomAttribute("data-points"));
      assertTrue(before >= 49 && before < steps - 1, "drawn at first: " + before);
      assertEquals("2", chart("train/loss").getDomAttribute("data-series"));
      present(By.cssSelector("body[data-live=\"true\"]"));
      WorkspaceRuns.log(run, 50, steps, steps);
      until(d -> Integer.parseInt(chart("train/loss").getDomAttribute("data-points")) >= steps - 1);
      assertEquals("running", reader.run().getString("state"), "it grew while the run was running");
    }
    present(By.cssSelector("#compare-legend .state-finished"));
    until(d -> String.valueOf(steps).equals(chart("train/loss").getDomAttribute("data-points")));
  }
}
