package dev.runbus;

import java.nio.file.Path;
import java.util.Map;

/**
 * One tracked run, as {@code wandb.init()} returns it.
 *
 * <p>{@code log()} is safe to call from several threads, never touches the disk or the network
 * itself, and copies what it needs, so the caller may reuse its map. It blocks only while the queue
 * to the pipeline is full ({@link Settings.Builder#queueBytes}, {@link
 * Settings.Builder#queueCapacity}). Calls after {@link #finish} throw {@link
 * IllegalStateException}; calls after the pipeline failed throw {@link RunbusException} saying why.
 * Steps end at {@code Long.MAX_VALUE}: once a row was committed there, {@code log()} throws {@link
 * IllegalStateException} rather than wrap to a negative step.
 *
 * <p>Step rules are W&B's: {@code log(row)} writes a row at the current step and advances it;
 * {@code log(row, false)} accumulates into the current row; {@code log(row, step)} writes at {@code
 * step} (a higher step first commits the row being accumulated; a lower step drops the row with one
 * warning per run, or throws with {@link Settings.Builder#strictSteps}). Threads that log at
 * explicit steps of their own will drop each other's rows as W&B does: from several threads, let
 * the run assign steps, or agree on them.
 *
 * <p>Closing the run (try-with-resources) finishes it with exit code 0 even when the block throws,
 * since {@code close()} cannot see the exception; {@link Runbus#run} records 1 in that case.
 */
public interface Run extends AutoCloseable {

  /**
   * The run id: {@code Settings.Builder#runId} or {@code WANDB_RUN_ID} if set, else 8 random
   * characters drawn when this run started (each run its own, even from the same settings).
   */
  String id();

  /** The run's display name, or empty when none was given. */
  String name();

  Mode mode();

  /** The project, or empty when none was given. */
  String project();

  /**
   * The run directory ({@code wandb/offline-run-<date>_<time>-<id>/}), or null when disabled. W&B's
   * {@code run.dir} is its {@code files/} sub-directory. The kernel creates it as it opens the run,
   * in the background; this waits until it has, so the directory exists when this returns (in a
   * fresh JVM the first call may wait for the kernel's start, a few hundred milliseconds). If the
   * run could not start, the path is returned all the same, and {@code log()} and {@code finish()}
   * say why it does not exist.
   */
  Path dir();

  /** The run's {@code .wandb} log, or null when disabled; it exists when this returns, as {@link #dir()} does. */
  Path logFile();

  /**
   * The step the next {@code log(row)} writes at, as W&B's {@code run.step}; a disabled run counts
   * it the same way.
   */
  long step();

  /**
   * Logs a row at the current step, then advances the step.
   *
   * @param row metric names to values: numbers, booleans, strings, null, collections, arrays,
   *     nested maps
   * @throws IllegalArgumentException naming the key, for a bad key or a value that cannot be
   *     serialised; nothing of the row is logged
   * @throws IllegalStateException after {@link #finish}, or if the thread is interrupted while
   *     waiting for room in the queue (the row is then not logged)
   */
  void log(Map<String, ?> row);

  /**
   * Logs at an explicit step; the row stays open for more values at that step until a later step or
   * a commit. A step lower than the current one drops the row (see the class comment).
   */
  void log(Map<String, ?> row, long step);

  /** With {@code commit=false}, merges into the current row without advancing the step. */
  void log(Map<String, ?> row, boolean commit);

  /** At an explicit step; {@code commit=true} writes the row at once, {@code false} keeps it open. */
  void log(Map<String, ?> row, long step, boolean commit);

  /** The run's hyperparameters. */
  RunConfig config();

  /** The run's summary: the last value of each metric unless set or defined otherwise. */
  RunSummary summary();

  /** Shorthand for {@code defineMetric(MetricDefinition.of(name))}. */
  default void defineMetric(String name) {
    defineMetric(MetricDefinition.of(name));
  }

  /**
   * Defines how a metric is summarised and charted, as {@code run.define_metric}: applies to rows
   * logged after this call.
   */
  void defineMetric(MetricDefinition definition);

  /**
   * Whether the run's server asked it to stop (W&B's "stop run", or {@code POST …/stop} on runbus
   * server). Never blocks: the answer is at most a few seconds old. Always false offline.
   */
  default boolean shouldStop() {
    return false;
  }

  /**
   * Calls {@code callback} once, on a thread of its own, when the server asks the run to stop; the
   * callback may finish the run. Online runs only; offline nothing ever asks.
   */
  default void onStop(Runnable callback) {}

  /**
   * Says the run is about to be preempted (W&B's {@code mark_preempting()}): a {@code preempting}
   * record goes into the log, and online straight to the server, which marks the run preempted; a
   * later finish with a non-zero exit code leaves it so (a requeued job resumes it), with 0 it is
   * finished. runbus calls this itself for every open run when the JVM gets SIGTERM, then
   * finishes them with exit code 143. After {@link #finish} it throws, as every call does.
   */
  void markPreempting();

  /** Finishes with exit code 0. */
  default RunResult finish() {
    return finish(0);
  }

  /**
   * Finishes the run: returns once everything logged before this call is in the log on disk (and,
   * online, on the server). Calling it again returns the first result, whatever its exit code.
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
