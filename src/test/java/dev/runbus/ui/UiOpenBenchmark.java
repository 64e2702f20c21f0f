package dev.runbus.ui;

import dev.runbus.server.bench.UiBench;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;

/**
 * How long the web UI takes, in headless Chromium, to show a long run's workspace (every metric's
 * chart drawn) and a big project's run table (its first page of rows), against the packaged jar's
 * server. A benchmark, not a test: it prints figures for docs/benchmarks.md and asserts nothing.
 *
 * <pre>
 * mvn -B -q -DskipTests package
 * mvn -B -q test-compile exec:java -Dexec.classpathScope=test \
 *   -Dexec.mainClass=dev.runbus.ui.UiOpenBenchmark -Dexec.args="1000000 1000 5"
 * </pre>
 *
 * Arguments: rows of the long run, runs in the project, timed openings of each page, and metrics
 * of the long run (10 unless given). The workspace is complete when every chart is laid out and
 * those on the screen (1400 × 1000) are drawn. Each timing
 * is the page's own clock ({@code performance.now()}, from the navigation's start) when the
 * benchmark first sees the page complete, polling every 10 ms.
 */
public final class UiOpenBenchmark {
  public static void main(String[] args) throws Exception {
    long rows = args.length > 0 ? Long.parseLong(args[0]) : 1_000_000;
    int runs = args.length > 1 ? Integer.parseInt(args[1]) : 1000;
    int repeats = args.length > 2 ? Integer.parseInt(args[2]) : 5;
    int metrics = args.length > 3 ? Integer.parseInt(args[3]) : 10;
    PrintStream out = System.out;
    Path dir = Files.createTempDirectory("runbus-ui-bench");
    try (UiServer server = UiServer.start(dir);
        Browser browser = Browser.start()) {
      out.printf("seeding a %,d-row run and %,d runs on %s%n", rows, runs, server.url());
      UiBench.Seeded seeded =
          new UiBench(server.url(), server.key(), new UiBench.Options(rows, metrics, runs, 1000, 1), out)
              .seed();
      browser.login(server.url(), server.key());
      String project = server.url() + "/" + seeded.entity() + "/" + seeded.project();
      // the page a person sees: every chart laid out, and those on the screen drawn (a chart
      // further down is drawn as it comes near the screen)
      String charts = "[...document.querySelectorAll('div.chart[data-key^=\"m\"]')]";
      double[] workspace =
          time(browser, project + "/runs/long", repeats,
              "((cs) => cs.length >= " + metrics + " && cs.filter((c) => "
                  + "c.getBoundingClientRect().top < innerHeight).every((c) => c.dataset.ready))("
                  + charts + ")");
      Object onScreen = browser.script("return " + charts
          + ".filter((c) => c.getBoundingClientRect().top < innerHeight).length;");
      report(out, "workspace of the " + String.format("%,d", rows) + "-row run of " + metrics
          + " metrics, the " + onScreen + " charts on the screen drawn", workspace);
      browser.screenshot("bench-workspace");
      double[] table =
          time(browser, project, repeats,
              "document.querySelectorAll('table#runs tr[data-run]').length >= "
                  + Math.min(50, runs + 1));
      report(out, "run table of " + String.format("%,d", runs + 1) + " runs, first page", table);
    }
  }

  /** Opens {@code url} {@code repeats} times after one warm-up; the page's time to {@code done}. */
  private static double[] time(Browser browser, String url, int repeats, String done) {
    double[] millis = new double[repeats];
    for (int i = -1; i < repeats; i++) {
      browser.driver().get("about:blank");
      browser.driver().get(url);
      Object at = null;
      long deadline = System.nanoTime() + Browser.WAIT.toNanos();
      while (at == null) {
        if (System.nanoTime() > deadline) {
          throw new IllegalStateException("the page did not complete in " + Browser.WAIT + ": " + url);
        }
        at = browser.script("return (" + done + ") ? performance.now() : null;");
        if (at == null) {
          sleep(10);
        }
      }
      if (i >= 0) {
        millis[i] = ((Number) at).doubleValue();
      }
    }
    return millis;
  }

  private static void sleep(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  private static void report(PrintStream out, String what, double[] millis) {
    double[] sorted = millis.clone();
    Arrays.sort(sorted);
    StringBuilder each = new StringBuilder();
    for (double m : millis) {
      each.append(each.length() == 0 ? "" : " ").append(String.format("%.0f", m));
    }
    out.printf("%s: median %.0f ms (runs: %s)%n", what, sorted[sorted.length / 2], each);
  }

  private UiOpenBenchmark() {}
}
