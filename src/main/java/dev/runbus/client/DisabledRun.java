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

/**
 * A run in {@code disabled} mode: nothing is written and {@code log()} returns at once, so a library
 * can call runbus unconditionally and let its user switch tracking off with {@code
 * WANDB_MODE=disabled}. Config and summary still hold what is set (a library may read its
 * hyperparameters back from the run), checked as an enabled run checks them.
 */
public final class DisabledRun implements Run {

  private final Settings settings;
  private final LocalConfig config;
  private final LocalSummary summary = new LocalSummary();
  private volatile RunResult result;

  /**
   * @throws IllegalArgumentException for a bad key or value in the settings' config, as an enabled
   *     run would: switching tracking off must not hide a bug
   */
  public DisabledRun(Settings settings) {
    this.settings = settings;
    this.config = new LocalConfig(PipelineConfig.checkedCopy(settings.config()));
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
    return 0;
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
  public void log(Map<String, ?> row) {}

  @Override
  public void log(Map<String, ?> row, long step) {}

  @Override
  public void log(Map<String, ?> row, boolean commit) {}

  @Override
  public void log(Map<String, ?> row, long step, boolean commit) {}

  @Override
  public RunConfig config() {
    return config;
  }

  @Override
  public RunSummary summary() {
    return summary;
  }

  @Override
  public void defineMetric(MetricDefinition definition) {}

  @Override
  public RunResult finish(int exitCode) {
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
              summary.asMap(),
              Map.of());
      result = done;
    }
    return done;
  }

  @Override
  public boolean isFinished() {
    return result != null;
  }
}
