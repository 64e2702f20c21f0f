package dev.runbus;

import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * System metrics of a run (see {@link Settings.Builder#stats}): whether they are taken, how often
 * a sample is read, and how often the samples' aggregate is logged as one StatsRecord. W&B's
 * defaults: on, a sample every 2 s, a record every 15 s.
 *
 * <p>From the environment, as W&B reads its own: {@code WANDB_X_DISABLE_STATS} (or the older
 * {@code WANDB__DISABLE_STATS}) turns them off; {@code WANDB__STATS_SAMPLE_RATE_SECONDS} sets the
 * sample interval and {@code WANDB__STATS_SAMPLES_TO_AVERAGE} how many samples make a record (W&B's
 * legacy pair); {@code WANDB_X_STATS_SAMPLING_INTERVAL} (W&B's newer name, seconds between the
 * points a run shows) sets the record interval.
 */
public record StatsSettings(boolean enabled, Duration sampleInterval, Duration interval) {

  public static final StatsSettings DEFAULTS =
      new StatsSettings(true, Duration.ofSeconds(2), Duration.ofSeconds(15));

  public StatsSettings {
    if (sampleInterval.isNegative() || sampleInterval.toMillis() < 100) {
      throw new IllegalArgumentException(
          "the stats sample interval must be at least 100 ms, was " + sampleInterval);
    }
    if (interval.compareTo(sampleInterval) < 0) {
      throw new IllegalArgumentException(
          "the stats interval ("
              + interval
              + ") must not be shorter than the sample interval ("
              + sampleInterval
              + ")");
    }
  }

  /** What the builder set, each null when it set nothing. */
  record Explicit(Boolean enabled, Duration sampleInterval, Duration interval) {}

  static StatsSettings resolve(Explicit explicit, Map<String, String> env) {
    boolean enabled =
        explicit.enabled() != null
            ? explicit.enabled()
            : !(truthy(env.get("WANDB_X_DISABLE_STATS"))
                || truthy(env.get("WANDB__DISABLE_STATS")));
    Duration sample =
        explicit.sampleInterval() != null
            ? explicit.sampleInterval()
            : seconds(env, "WANDB__STATS_SAMPLE_RATE_SECONDS", DEFAULTS.sampleInterval);
    Duration interval = explicit.interval();
    if (interval == null) {
      String samples = env.get("WANDB__STATS_SAMPLES_TO_AVERAGE");
      if (samples != null && !samples.isBlank()) {
        interval = sample.multipliedBy(count("WANDB__STATS_SAMPLES_TO_AVERAGE", samples));
      } else {
        interval = seconds(env, "WANDB_X_STATS_SAMPLING_INTERVAL", DEFAULTS.interval);
      }
    }
    try {
      return new StatsSettings(enabled, sample, interval.compareTo(sample) < 0 ? sample : interval);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(
          e.getMessage() + " (Settings.statsSampleInterval or WANDB__STATS_SAMPLE_RATE_SECONDS)",
          e);
    }
  }

  private static Duration seconds(Map<String, String> env, String variable, Duration fallback) {
    String value = env.get(variable);
    if (value == null || value.isBlank()) {
      return fallback;
    }
    try {
      double s = Double.parseDouble(value.trim());
      if (s > 0 && s < 1e9) {
        return Duration.ofMillis(Math.round(s * 1000));
      }
    } catch (NumberFormatException ignored) {
      // said below
    }
    throw new IllegalArgumentException(
        variable + " must be a positive number of seconds, was \"" + value + "\"");
  }

  private static long count(String variable, String value) {
    try {
      long n = Long.parseLong(value.trim());
      if (n >= 1 && n <= 1000) {
        return n;
      }
    } catch (NumberFormatException ignored) {
      // said below
    }
    throw new IllegalArgumentException(
        variable + " must be a whole number from 1 to 1000, was \"" + value + "\"");
  }

  private static boolean truthy(String value) {
    return value != null
        && List.of("true", "1", "yes").contains(value.trim().toLowerCase(Locale.ROOT));
  }
}
