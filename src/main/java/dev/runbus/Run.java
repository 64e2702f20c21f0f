package dev.runbus;

import java.nio.file.Path;
import java.util.Map;

/**
 * One tracked run. {@code log()} is safe to call from several threads, never touches the disk or
 * the network itself, and copies what it needs, so the caller may reuse its map. Closing the run
 * (try-with-resources) finishes it with exit code 0.
 *
 * <p>Step rules are W&B's: {@code log(row)} writes a row at the current step and advances it;
 * {@code log(row, false)} accumulates into the current row; {@code log(row, step)} writes at {@code
 * step} (a higher step first commits the row being accumulated; a lower step drops the row with one
 * warning per run, or throws with {@link Settings.Builder#strictSteps}).
 */
public interface Run extends AutoCloseable {

  String id();

  Mode mode();

  String project();

  /** The run directory, or null when disabled. */
  Path dir();

  /** The run's {@code .wandb} log, or null when disabled. */
  Path logFile();

  /** Logs a row at the current step, then advances the step. */
  void log(Map<String, ?> row);

  /**
   * Logs at an explicit step; the row stays open for more values at that step until a later step or
   * commit.
   */
  void log(Map<String, ?> row, long step);

  /** With {@code commit=false}, merges into the current row without advancing the step. */
  void log(Map<String, ?> row, boolean commit);

  void log(Map<String, ?> row, long step, boolean commit);

  RunConfig config();

  RunSummary summary();

  /** Shorthand for {@code defineMetric(MetricDefinition.of(name))}. */
  default void defineMetric(String name) {
    defineMetric(MetricDefinition.of(name));
  }

  void defineMetric(MetricDefinition definition);

  /** Finishes with exit code 0. */
  default RunResult finish() {
    return finish(0);
  }

  /**
   * Finishes the run: returns once everything logged before this call is in the log on disk (and,
   * online, on the server). Calling it again returns the first result.
   *
   * @throws RunbusException if the run could not be finished, or if records it accepted could not
   *     be written (a full disk, for example); the message says what happened and where the log is
   */
  RunResult finish(int exitCode);

  /**
   * True once {@code finish} has been called, whether or not it succeeded: from then on the run
   * accepts nothing more.
   */
  boolean isFinished();

  @Override
  default void close() {
    if (!isFinished()) {
      finish(0);
    }
  }
}
