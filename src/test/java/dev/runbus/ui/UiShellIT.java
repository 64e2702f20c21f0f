package dev.runbus.ui;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.Select;

/**
 * The web UI's shell in headless Chromium against the packaged jar's server, with runs logged by
 * runbus's online client: sign-in, the projects page, the run table's sort, filters and selection.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class UiShellIT {

  private static final String PROJECT = "vision";
  private static final String OTHER = "other-project";
  private static final String MANY = "many-runs";
  private static final int MANY_RUNS = 120;

  private UiServer server;
  /** Display name -> run id, in the order logged. */
  private final Map<String, String> runs = new LinkedHashMap<>();
  private Browser browser;

  @BeforeAll
  void seed(@TempDir Path dir) throws Exception {
    server = UiServer.start(dir);
    log("alpha", 0.91, 0.1, 0, List.of("baseline"), "g1");
    log("beta", 0.75, 0.3, 0, List.of("tuned"), "g2");
    log("gamma", 0.83, 0.01, 1, List.of("baseline"), "g1");
    log("delta", 0.60, 0.2, 0, List.of("tuned"), "g2");
    server.logRun(server.settings(OTHER, "solo"), 3, 0, run -> {});
    server.upsertRuns(MANY, "m", MANY_RUNS);
  }

  private void log(
      String name, double bestAcc, double lr, int exitCode, List<String> tags, String group) {
    String id =
        server.logRun(
            server
                .settings(PROJECT, name)
                .config(Map.of("lr", lr))
                .tags(tags.toArray(String[]::new))
                .group(group),
            5,
            exitCode,
            run -> run.summary().set("best_acc", bestAcc));
    runs.put(name, id);
  }

  @AfterAll
  void stopServer() throws Exception {
    if (server != null) {
      server.close();
    }
  }

  @BeforeEach
  void openBrowser() throws Exception {
    browser = Browser.start();
  }

  @AfterEach
  void closeBrowser() throws Exception {
    if (browser != null) {
      browser.close();
    }
  }

  private String projectUrl(String query) {
    return server.url() + "/" + server.entity() + "/" + PROJECT + (query.isEmpty() ? "" : "?" + query);
  }

  /** The run ids of the table's rows, top to bottom, once the table is not loading. */
  private List<String> rowIds() {
    browser.waitUntil(
        "the run table loaded",
        d -> "false".equals(d.findElement(By.id("runs")).getAttribute("aria-busy")));
    return browser.driver().findElements(By.cssSelector("table#runs tbody tr[data-run]")).stream()
        .map(tr -> tr.getAttribute("data-run"))
        .toList();
  }

  private List<String> ids(String... names) {
    return java.util.Arrays.stream(names).map(runs::get).toList();
  }

  /** Waits until the table shows exactly these runs in this order. */
  private void awaitRows(String what, List<String> expected) {
    browser.waitUntil(what + ": expected " + expected, d -> rowIds().equals(expected));
  }

  @Test
  void aWrongKeyIsRefusedWithAMessage() {
    browser.open(server.url() + "/" + server.entity() + "/" + PROJECT);
    browser.waitUntil(d -> d.getCurrentUrl().contains("/login?next="));
    browser.visible(By.id("key")).sendKeys("not-a-valid-key");
    browser.driver().findElement(By.id("sign-in")).click();
    WebElement error = browser.visible(By.id("login-error"));
    assertEquals("That API key is not valid.", error.getText());
    assertTrue(browser.driver().getCurrentUrl().contains("/login"));
    assertTrue(browser.driver().findElements(By.id("runs")).isEmpty());
  }

  @Test
  void signingInShowsTheProjectsAndOpensOne() throws Exception {
    browser.login(server.url(), server.key());
    WebElement row = browser.visible(By.cssSelector("table#projects tr[data-project='" + PROJECT + "']"));
    browser.visible(By.cssSelector("table#projects tr[data-project='" + OTHER + "']"));
    assertTrue(row.getText().contains("4"), row.getText());
    browser.screenshot("projects");
    row.findElement(By.tagName("a")).click();
    browser.waitUntil(d -> URI.create(d.getCurrentUrl()).getPath().equals("/" + server.entity() + "/" + PROJECT));
    assertEquals(4, rowIds().size());
    assertEquals(ids("delta", "gamma", "beta", "alpha"), rowIds(), "newest first");
    assertEquals("4 runs", browser.visible(By.id("run-count")).getText());
    assertEquals(
        "descending",
        browser.driver().findElement(By.cssSelector("th[data-sort='created']")).getAttribute("aria-sort"));
    browser.screenshot("run-table");
  }

  @Test
  void clickingAHeaderSortsTheRunsOnTheServer() {
    browser.login(server.url(), server.key());
    browser.open(projectUrl("cols=summary.best_acc"));
    rowIds();
    browser.visible(By.cssSelector("th[data-sort='summary.best_acc']")).click();
    awaitRows("best_acc, highest first", ids("alpha", "gamma", "beta", "delta"));
    assertEquals(
        "descending",
        browser.driver().findElement(By.cssSelector("th[data-sort='summary.best_acc']")).getAttribute("aria-sort"));
    assertTrue(browser.driver().getCurrentUrl().contains("sort=summary.best_acc"));
    browser.driver().findElement(By.cssSelector("th[data-sort='summary.best_acc']")).click();
    awaitRows("best_acc, lowest first", ids("delta", "beta", "gamma", "alpha"));
    assertEquals(
        "ascending",
        browser.driver().findElement(By.cssSelector("th[data-sort='summary.best_acc']")).getAttribute("aria-sort"));
    assertTrue(browser.driver().getCurrentUrl().contains("order=asc"));
    browser.driver().findElement(By.cssSelector("th[data-sort='name']")).click();
    awaitRows("by run id", runs.values().stream().sorted().toList());
  }

  @Test
  void filtersNarrowTheTableAndStayInTheUrl() {
    browser.login(server.url(), server.key());
    browser.open(projectUrl(""));
    assertEquals(4, rowIds().size());
    new Select(browser.visible(By.id("state-filter"))).selectByValue("failed");
    awaitRows("failed runs", ids("gamma"));
    assertTrue(browser.driver().getCurrentUrl().contains("state=failed"));
    assertEquals("1 run", browser.driver().findElement(By.id("run-count")).getText());
    new Select(browser.driver().findElement(By.id("state-filter"))).selectByValue("");
    browser.visible(By.id("tag-filter")).sendKeys("baseline");
    awaitRows("tag baseline", ids("gamma", "alpha"));
    assertTrue(browser.driver().getCurrentUrl().contains("tag=baseline"));
    // the URL alone reproduces the table
    browser.open(projectUrl("group=g2&sort=name&order=asc"));
    awaitRows("group g2 by id", ids("beta", "delta").stream().sorted().toList());
  }

  @Test
  void searchFindsRunsByName() {
    browser.login(server.url(), server.key());
    browser.open(projectUrl(""));
    assertEquals(4, rowIds().size());
    browser.visible(By.id("search")).sendKeys("BET");
    awaitRows("search BET", ids("beta"));
    assertTrue(browser.driver().getCurrentUrl().contains("search=BET"));
  }

  @Test
  void theColumnPickerAddsAConfigColumnThatSorts() {
    browser.login(server.url(), server.key());
    browser.open(projectUrl(""));
    rowIds();
    browser.visible(By.id("columns")).click();
    WebElement lr = browser.visible(By.cssSelector("#column-picker input[data-column='config.lr']"));
    browser.visible(By.cssSelector("#column-picker input[data-column='summary.best_acc']"));
    assertTrue(
        browser.driver().findElements(By.cssSelector("#column-picker input[data-column='config._wandb']")).isEmpty(),
        "W&B's own config key is no column");
    lr.click();
    browser.waitUntil(d -> d.getCurrentUrl().contains("cols=config.lr"));
    WebElement header = browser.visible(By.cssSelector("th[data-sort='config.lr']"));
    assertEquals(
        "0.3",
        browser.driver().findElement(By.cssSelector("tr[data-run='" + runs.get("beta") + "'] td:last-child")).getText());
    header.click();
    awaitRows("lr, highest first", ids("beta", "delta", "alpha", "gamma"));
    assertTrue(browser.driver().getCurrentUrl().contains("sort=config.lr"));
  }

  @Test
  void aNewRunAppearsInTheOpenTableByItself() {
    browser.login(server.url(), server.key());
    // a project of its own, so that the other tests' project keeps its four runs
    browser.open(server.url() + "/" + server.entity() + "/" + OTHER);
    int before = rowIds().size();
    browser.waitUntil("the live bridge connected", d -> "true".equals(d.findElement(By.tagName("body")).getAttribute("data-live")));
    browser.script("window.sameDocument = true;");
    String id = server.logRun(server.settings(OTHER, "live-" + before), 2, 0, run -> {});
    browser.waitUntil(
        "the new run in the table",
        d -> !d.findElements(By.cssSelector("tr[data-run='" + id + "']")).isEmpty());
    assertEquals(before + 1, rowIds().size());
    assertEquals(Boolean.TRUE, browser.script("return window.sameDocument === true;"), "no reload");
    assertEquals((before + 1) + " runs", browser.driver().findElement(By.id("run-count")).getText());
  }

  @Test
  void loadMorePagesThroughTheRunsInOrder() {
    browser.login(server.url(), server.key());
    browser.open(server.url() + "/" + server.entity() + "/" + MANY + "?sort=name&order=asc");
    assertEquals(expectedNames(0, 50), rowIds());
    assertEquals(MANY_RUNS + " runs", browser.driver().findElement(By.id("run-count")).getText());
    WebElement more = browser.visible(By.id("load-more"));
    more.click();
    browser.waitUntil("a second page", d -> rowIds().size() == 100);
    assertEquals(expectedNames(0, 100), rowIds());
    more.click();
    browser.waitUntil("the last page", d -> rowIds().size() == MANY_RUNS);
    assertEquals(expectedNames(0, MANY_RUNS), rowIds());
    assertFalse(more.isDisplayed(), "nothing more to load");
  }

  private static List<String> expectedNames(int from, int to) {
    return java.util.stream.IntStream.range(from, to).mapToObj(i -> String.format("m%03d", i)).toList();
  }

  @Test
  void twoSelectedRunsOpenTheComparison() {
    browser.login(server.url(), server.key());
    browser.open(projectUrl("sort=name&order=asc"));
    List<String> shown = rowIds();
    WebElement compare = browser.visible(By.id("compare"));
    assertFalse(compare.isEnabled());
    selectRow(shown.get(0));
    assertFalse(compare.isEnabled(), "one run is no comparison");
    selectRow(shown.get(2));
    assertTrue(compare.isEnabled());
    compare.click();
    browser.waitUntil(d -> d.getCurrentUrl().contains("/compare"));
    URI at = URI.create(browser.driver().getCurrentUrl());
    assertEquals("/" + server.entity() + "/" + PROJECT + "/compare", at.getPath());
    assertEquals("runs=" + shown.get(0) + "," + shown.get(2), at.getQuery());
  }

  private void selectRow(String runId) {
    browser
        .visible(By.cssSelector("tr[data-run='" + runId + "'] input.select-run"))
        .click();
  }
}
