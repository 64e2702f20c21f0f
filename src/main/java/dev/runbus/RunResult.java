package dev.runbus;

import dev.runbus.report.RunReport;
import dev.runbus.system.SystemPeaks;
import java.nio.file.Path;
import java.util.Map;

/**
 * What a finished run leaves behind: where it lives, how much was written, its summary, and a
 * sample of each metric's history (for sparklines).
 *
 * @param runtimeSeconds wall-clock seconds from init to the end of finish
 * @param droppedRows rows not written because their explicit step was lower than the current step
 * @param history for each numeric top-level key, an evenly spaced sample of its values in order
 * @param runUrl where an online run lives on its server; empty offline
 * @param notUploaded what an online run's server did not acknowledge and why, with the command that
 *     uploads the rest; empty when everything arrived (or offline)
 * @param systemPeaks the highest CPU, heap and GPU the run's system metrics saw
 * @param consoleLines lines of System.out and System.err the run captured (files/output.log)
 */
public record RunResult(
    String runId,
    Mode mode,
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
    long consoleLines) {

  /** A run whose system metrics were not taken and that captured no console. */
  public RunResult(
      String runId,
      Mode mode,
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
      String notUploaded) {
    this(
        runId, mode, exitCode, dir, logFile, runtimeSeconds, historyRows, droppedRows,
        recordsWritten, bytesWritten, summary, history, runUrl, notUploaded, SystemPeaks.NONE, 0);
  }

  /** A run with nothing on a server: offline, disabled. */
  public RunResult(
      String runId,
      Mode mode,
      int exitCode,
      Path dir,
      Path logFile,
      double runtimeSeconds,
      long historyRows,
      long droppedRows,
      long recordsWritten,
      long bytesWritten,
      Map<String, Object> summary,
      Map<String, double[]> history) {
    this(
        runId, mode, exitCode, dir, logFile, runtimeSeconds, historyRows, droppedRows,
        recordsWritten, bytesWritten, summary, history, "", "");
  }

  /** Whether everything the run logged reached its server (always true offline). */
  public boolean uploaded() {
    return notUploaded.isEmpty();
  }

  /** The end-of-run report W&B users know: history sparklines, summary, where the run lives. */
  public String report() {
    return RunReport.render(
        new RunReport.Facts(
            runId,
            mode == Mode.OFFLINE,
            exitCode,
            dir,
            logFile,
            runtimeSeconds,
            historyRows,
            droppedRows,
            recordsWritten,
            bytesWritten,
            summary,
            history,
            runUrl,
            notUploaded,
            systemPeaks,
            consoleLines));
  }
}
