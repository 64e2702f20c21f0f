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
 * A run in {@code disabled} mode: every call returns at once and nothing is written, so a library
 * can call runbus unconditionally and let its user switch tracking off with {@code
 * WANDB_MODE=disabled}.
 */
public final class DisabledRun implements Run {

  private static final RunConfig CONFIG =
      new RunConfig() {
        @Override
        public void set(String key, Object value) {}

        @Override
        public void update(Map<String, ?> values) {}

        @Override
        public Object get(String key) {
          return null;
        }

        @Override
        public Map<String, Object> asMap() {
          return Map.of();
        }
      };

  private static final RunSummary SUMMARY =
      new RunSummary() {
        @Override
        public void set(String key, Object value) {}

        @Override
        public void update(Map<String, ?> values) {}

        @Override
        public void remove(String key) {}

        @Override
        public Object get(String key) {
          return null;
        }

        @Override
        public Map<String, Object> asMap() {
          return Map.of();
        }
      };

  private final Settings settings;
  private volatile RunResult result;

  public DisabledRun(Settings settings) {
    this.settings = settings;
  }

  @Override
  public String id() {
    return settings.runId();
  }

  @Override
  public Mode mode() {
    return Mode.DISABLED;
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
    return CONFIG;
  }

  @Override
  public RunSummary summary() {
    return SUMMARY;
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
              Map.of(),
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
