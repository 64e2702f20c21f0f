package dev.runbus.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.runbus.Mode;
import dev.runbus.RunResult;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The end-of-run report: W&B's layout, and readable whatever the run logged. */
class RunReportTest {

  private static RunResult run(Map<String, Object> summary, Map<String, double[]> history) {
    Path dir = Path.of("/runs/wandb/offline-run-20261127_000000-abc");
    return new RunResult(
        "abc", Mode.OFFLINE, 0, dir, dir.resolve("run-abc.wandb"), 2.5, 3, 0, 10, 2048, summary,
        history);
  }

  @Test
  void anOnlineRunSaysWhereItLivesAndWhatDidNotArrive() {
    Path dir = Path.of("/runs/wandb/run-20261127_000000-abc");
    String report =
        new RunResult(
                "abc", Mode.ONLINE, 0, dir, dir.resolve("run-abc.wandb"), 2.5, 3, 0, 10, 2048,
                Map.of(), Map.of(), "http://h:8080/e/p/runs/abc", "line one\nline two")
            .report();
    assertTrue(report.contains("runbus: View run abc at: http://h:8080/e/p/runs/abc\n"), report);
    assertTrue(report.contains("runbus: line one\nrunbus: line two\n"), report);
    assertTrue(!report.contains("wandb sync"), "an online run is not told to sync when complete");
  }

  @Test
  void showsSparklinesSummaryAndWhereTheRunLives() {
    Map<String, Object> summary = new LinkedHashMap<>();
    summary.put("loss", 0.123456789);
    summary.put("_step", 2);
    summary.put("val", Map.of("acc", Map.of("max", 0.9)));
    summary.put("note", "a string longer than twenty characters");
    String report = run(summary, Map.of("loss", new double[] {3, 2, 1})).report();

    assertTrue(report.contains("runbus:   loss █▅▁"), report);
    assertTrue(report.contains("runbus:          loss 0.12346"), report);
    assertTrue(report.contains("runbus:   val.acc.max 0.9"), report);
    assertTrue(report.contains("note a string longer than..."), report);
    assertTrue(!report.contains("_step"), "keys runbus sets are not shown");
    assertTrue(report.contains("Run abc finished after 2.5 s: 3 history rows, 10 records, 2.0 KiB."));
    assertTrue(report.contains("wandb sync /runs/wandb/offline-run-20261127_000000-abc"), report);
  }

  @Test
  void theConsoleLinesTheRunCapturedAreOneItemOfTheTotals() {
    Path dir = Path.of("/runs/wandb/offline-run-20261127_000000-abc");
    String report =
        new RunResult(
                "abc", Mode.OFFLINE, 0, dir, dir.resolve("run-abc.wandb"), 2.5, 3, 0, 10, 2048,
                Map.of(), Map.of(), "", "", dev.runbus.system.SystemPeaks.NONE, 100_000)
            .report();
    assertTrue(
        report.contains(
            "Run abc finished after 2.5 s: 3 history rows, 10 records, 2.0 KiB, 100,000 console"
                + " lines."),
        report);
    assertTrue(!run(Map.of(), Map.of()).report().contains("console"), "none captured: not said");
  }

  @Test
  void aRunWithThousandsOfKeysGetsAReportOfBoundedLength() {
    Map<String, Object> summary = new LinkedHashMap<>();
    Map<String, double[]> history = new LinkedHashMap<>();
    for (int i = 0; i < 10_000; i++) {
      summary.put("k" + i, i);
      history.put("k" + i, new double[] {i});
    }
    String report = run(summary, history).report();

    assertTrue(report.lines().count() < 2 * RunReport.MAX_LINES + 20, report);
    assertTrue(report.contains("… and 9,950 more metrics"), report);
    assertTrue(report.contains("… and 9,950 more values (all in files/wandb-summary.json)"), report);
    assertEquals(1, report.lines().filter(l -> l.endsWith(" k0 0")).count(), report);
  }
}
