package dev.runbus.report;

import dev.runbus.system.SystemPeaks;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The end-of-run report, laid out like W&B's footer: a sparkline per metric, the summary, then what
 * was written and where the run lives.
 *
 * <p>It knows nothing of the API's types: {@code RunResult.report()} hands it the {@link Facts},
 * so the API depends on the report and not the other way round.
 */
public final class RunReport {

  /**
   * What the report shows of a finished run.
   *
   * @param offline whether to say how to sync the run to the cloud
   * @param dir the run directory, or null
   * @param logFile the run's log, or null
   */
  public record Facts(
      String runId,
      boolean offline,
      int exitCode,
      Path dir,
      Path logFile,
      double runtimeSeconds,
      long historyRows,
      long droppedRows,
      long recordsWritten,
      long bytesWritten,
      Map<String, Object> summary,
      Map<String, double[]> history,
      String runUrl,
      String notUploaded,
      SystemPeaks systemPeaks,
      long consoleLines) {}

  private static final String PREFIX = "runbus: ";
  private static final int SPARK_WIDTH = 40;
  private static final int MAX_STRING = 20;

  /** Lines per section: a run with thousands of keys gets a report a person can still read. */
  static final int MAX_LINES = 50;

  private RunReport() {}

  public static String render(Facts run) {
    StringBuilder out = new StringBuilder();
    Map<String, String> history = new LinkedHashMap<>();
    run.history()
        .forEach(
            (key, values) -> {
              if (!key.startsWith("_") && values.length > 0) {
                history.put(key, Sparklines.render(values, SPARK_WIDTH));
              }
            });
    Map<String, String> summary = new LinkedHashMap<>();
    flatten("", run.summary(), summary);
    if (!history.isEmpty()) {
      line(out, "");
      line(out, "Run history:");
      grid(out, history, "metrics");
    }
    if (!summary.isEmpty()) {
      line(out, "");
      line(out, "Run summary:");
      grid(out, summary, "values (all in files/wandb-summary.json)");
    }
    line(out, "");
    String status = run.exitCode() == 0 ? "finished" : "failed (exit code " + run.exitCode() + ")";
    line(
        out,
        "Run "
            + run.runId()
            + " "
            + status
            + " after "
            + duration(run.runtimeSeconds())
            + ": "
            + String.format(
                "%,d history rows, %,d records, %s",
                run.historyRows(), run.recordsWritten(), bytes(run.bytesWritten()))
            + consoleItem(run.consoleLines())
            + ".");
    if (run.systemPeaks() != null && !run.systemPeaks().isEmpty()) {
      line(out, systemPeaks(run.systemPeaks()));
    }
    if (run.droppedRows() > 0) {
      line(
          out,
          String.format(
              "%,d rows were dropped because their step was lower than the current step.",
              run.droppedRows()));
    }
    if (!run.runUrl().isEmpty()) {
      line(out, "View run " + run.runId() + " at: " + run.runUrl());
    }
    if (!run.notUploaded().isEmpty()) {
      for (String text : run.notUploaded().split("\n")) {
        line(out, text);
      }
    }
    if (run.offline() && run.dir() != null) {
      line(out, "You can sync this run to the cloud by running:");
      line(out, "wandb sync " + relative(run.dir()));
    }
    if (run.logFile() != null) {
      line(out, "Find the run's log at: " + relative(run.logFile()));
    }
    return out.toString();
  }

  /** One short line: "System peaks: CPU 87.5%, heap 312 MiB of 4.0 GiB, GPU 99%." */
  static String systemPeaks(SystemPeaks peaks) {
    StringBuilder text = new StringBuilder("System peaks:");
    String sep = " ";
    if (!Double.isNaN(peaks.cpuPercent())) {
      text.append(sep).append(String.format("CPU %.1f%%", peaks.cpuPercent()));
      sep = ", ";
    }
    if (peaks.heapUsedBytes() >= 0) {
      text.append(sep).append("heap ").append(bytes(peaks.heapUsedBytes()));
      if (peaks.heapMaxBytes() > 0) {
        text.append(" of ").append(bytes(peaks.heapMaxBytes()));
      }
      sep = ", ";
    }
    if (!Double.isNaN(peaks.gpuPercent())) {
      text.append(sep).append(String.format("GPU %.0f%%", peaks.gpuPercent()));
    }
    return text.append('.').toString();
  }

  /** One short item: the console lines the run captured, in files/output.log. */
  private static String consoleItem(long lines) {
    return lines == 0 ? "" : String.format(", %,d console %s", lines, lines == 1 ? "line" : "lines");
  }

  private static void line(StringBuilder out, String text) {
    out.append(PREFIX).append(text).append(System.lineSeparator());
  }

  /** Keys right-aligned into one column, as W&B's grid does; at most {@link #MAX_LINES}. */
  private static void grid(StringBuilder out, Map<String, String> rows, String what) {
    List<Map.Entry<String, String>> shown =
        rows.entrySet().stream().limit(MAX_LINES).toList();
    int width = shown.stream().mapToInt(e -> e.getKey().length()).max().orElse(0);
    for (Map.Entry<String, String> row : shown) {
      line(out, " ".repeat(width - row.getKey().length() + 2) + row.getKey() + " " + row.getValue());
    }
    if (rows.size() > shown.size()) {
      line(out, String.format("  … and %,d more %s", rows.size() - shown.size(), what));
    }
  }

  @SuppressWarnings("unchecked")
  private static void flatten(String prefix, Map<String, Object> values, Map<String, String> out) {
    values.forEach(
        (key, value) -> {
          String name = prefix + key;
          if (key.startsWith("_") && prefix.isEmpty()) {
            return;
          }
          if (value instanceof Map<?, ?> nested) {
            flatten(name + ".", (Map<String, Object>) nested, out);
          } else if (value instanceof Number || value instanceof Boolean) {
            out.put(name, format(value));
          } else if (value instanceof String s) {
            out.put(name, s.length() > MAX_STRING ? s.substring(0, MAX_STRING) + "..." : s);
          } else if (value instanceof List<?> list) {
            out.put(name, "[" + list.size() + " values]");
          }
        });
  }

  /** Numbers rounded to 5 decimals, integers as integers. */
  static String format(Object value) {
    if (value instanceof Double d || value instanceof Float) {
      double v = ((Number) value).doubleValue();
      if (!Double.isFinite(v)) {
        return Double.isNaN(v) ? "NaN" : v > 0 ? "Infinity" : "-Infinity";
      }
      return new BigDecimal(v)
          .setScale(5, RoundingMode.HALF_EVEN)
          .stripTrailingZeros()
          .toPlainString();
    }
    return String.valueOf(value);
  }

  static String duration(double seconds) {
    if (seconds < 60) {
      return String.format("%.1f s", seconds);
    }
    long whole = (long) seconds;
    if (whole < 3600) {
      return whole / 60 + " min " + whole % 60 + " s";
    }
    return whole / 3600 + " h " + whole % 3600 / 60 + " min";
  }

  static String bytes(long n) {
    if (n < 1024) {
      return n + " B";
    }
    if (n < 1024 * 1024) {
      return String.format("%.1f KiB", n / 1024.0);
    }
    if (n < 1024L * 1024 * 1024) {
      return String.format("%.1f MiB", n / 1048576.0);
    }
    return String.format("%.1f GiB", n / 1073741824.0);
  }

  /** Paths under the working directory are shown relative to it, as W&B does. */
  public static String relative(Path path) {
    Path cwd = Path.of("").toAbsolutePath();
    return path.startsWith(cwd) ? "./" + cwd.relativize(path) : path.toString();
  }
}
