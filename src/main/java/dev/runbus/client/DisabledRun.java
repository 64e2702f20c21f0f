package dev.runbus.client;

import dev.runbus.MetricDefinition;
import dev.runbus.Mode;
import dev.runbus.Run;
import dev.runbus.RunConfig;
import dev.runbus.RunResult;
import dev.runbus.RunSummary;
import dev.runbus.Settings;
import java.nio.file.Path;
import java.util.Map;
import java.util.Objects;

/**
 * A run in {@code disabled} mode: nothing is written and nothing runs in the background, so a
 * library can call runbus unconditionally and let its user switch tracking off with {@code
 * WANDB_MODE=disabled}.
 *
 * <p>Every call is checked and answered by the same code as in a tracked run: {@code log()} refuses
 * what a tracked run refuses (bad keys and values, a lower step with strict steps) and advances
 * {@link #step()} the same way; config and summary keep what is set and give it back with the same
 * types; calls after {@code finish()} throw the same way. Switching tracking off must not hide a
 * bug, nor change what the library sees. What differs: there is no directory or log, and the
 * summary holds only what was set explicitly, since no row reaches a pipeline that would keep its
 * last values.
 */
public final class DisabledRun implements Run {

  private final Settings settings;
  private final LocalConfig config;
  private final LocalSummary summary = new LocalSummary(this);

  /** Guarded by itself. */
  private final StepMirror steps = new StepMirror(0);

  private volatile RunResult result;

  /**
   * @throws IllegalArgumentException for a bad key or value in the settings' config, as an enabled
   *     run would
   */
  public DisabledRun(Settings settings) {
    this.settings = settings;
    this.config = new LocalConfig(this, PipelineConfig.checkedCopy(settings.config()));
  }

  @Override
  public String id() {
    return settings.runId();
  }

  @Override
  public String name() {
    return settings.name();
  }

  @Override
  public Mode mode() {
    return Mode.DISABLED;
  }

  @Override
  public long step() {
    synchronized (steps) {
      return steps.current();
    }
  }

  @Override
  public String project() {
    return settings.project();
  }

  @Override
  public Path dir() {
    return null;
  }

  @Override
  public Path logFile() {
    return null;
  }

  @Override
  public void log(Map<String, ?> row) {
    logRow(row, Row.NO_STEP, null);
  }

  @Override
  public void log(Map<String, ?> row, long step) {
    logRow(row, step, null);
  }

  @Override
  public void log(Map<String, ?> row, boolean commit) {
    logRow(row, Row.NO_STEP, commit);
  }

  @Override
  public void log(Map<String, ?> row, long step, boolean commit) {
    logRow(row, step, commit);
  }

  /** A tracked run's log() without the queue: the same checks, the same step. */
  private void logRow(Map<String, ?> row, long step, Boolean commit) {
    if (row == null) {
      throw LogChecks.nullRow();
    }
    checkOpen("log()");
    int capacity = row.size();
    LogChecks.copyInto(row, new String[capacity], new Object[capacity]);
    synchronized (steps) {
      checkOpen("log()");
      long current = steps.conflict(step);
      if (current < 0) {
        steps.accept(step, commit);
      } else if (settings.strictSteps()) {
        throw LogChecks.lowerStep(step, current);
      } // else a tracked run drops the row, as here
    }
  }

  @Override
  public RunConfig config() {
    return config;
  }

  @Override
  public RunSummary summary() {
    return summary;
  }

  @Override
  public void defineMetric(MetricDefinition definition) {
    Objects.requireNonNull(definition, "definition");
    checkOpen("defineMetric()");
  }

  @Override
  public void markPreempting() {
    checkOpen("markPreempting()");
  }

  /** Throws once the run is finished, as a tracked run does. */
  void checkOpen(String call) {
    if (result != null) {
      throw LogChecks.finished(call, settings.runId());
    }
  }

  @Override
  public RunResult finish(int exitCode) {
    synchronized (steps) { // with log(): nothing is accepted after the result exists
      RunResult done = result;
      if (done == null) {
        done =
            new RunResult(
                settings.runId(),
                Mode.DISABLED,
                exitCode,
                null,
                null,
                0,
                0,
                0,
                0,
                0,
                summary.readBackAll(),
                Map.of());
        result = done;
      }
      return done;
    }
  }

  @Override
  public boolean isFinished() {
    return result != null;
  }
}
