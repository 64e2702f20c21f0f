package dev.runbus;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** System metrics settings: W&B's defaults, its variables, the builder winning over them. */
class StatsSettingsTest {

  private static StatsSettings stats(Map<String, String> env) {
    return Settings.builder().environment(env).build().stats();
  }

  @Test
  void onByDefaultSamplingEveryTwoSecondsLoggingEveryFifteen() {
    assertEquals(StatsSettings.DEFAULTS, stats(Map.of()));
    assertTrue(StatsSettings.DEFAULTS.enabled());
    assertEquals(Duration.ofSeconds(2), StatsSettings.DEFAULTS.sampleInterval());
    assertEquals(Duration.ofSeconds(15), StatsSettings.DEFAULTS.interval());
  }

  @Test
  void wandbsVariablesTurnThemOffAndSetTheIntervals() {
    assertFalse(stats(Map.of("WANDB_X_DISABLE_STATS", "true")).enabled());
    assertFalse(stats(Map.of("WANDB__DISABLE_STATS", "1")).enabled());
    assertTrue(stats(Map.of("WANDB_X_DISABLE_STATS", "false")).enabled());

    StatsSettings legacy =
        stats(Map.of("WANDB__STATS_SAMPLE_RATE_SECONDS", "0.5", "WANDB__STATS_SAMPLES_TO_AVERAGE", "6"));
    assertEquals(Duration.ofMillis(500), legacy.sampleInterval());
    assertEquals(Duration.ofSeconds(3), legacy.interval());
    assertEquals(
        Duration.ofSeconds(30), stats(Map.of("WANDB_X_STATS_SAMPLING_INTERVAL", "30")).interval());
  }

  @Test
  void theBuilderWinsOverTheEnvironment() {
    StatsSettings s =
        Settings.builder()
            .environment(Map.of("WANDB_X_DISABLE_STATS", "true", "WANDB_X_STATS_SAMPLING_INTERVAL", "30"))
            .stats(true)
            .statsSampleInterval(Duration.ofSeconds(1))
            .statsInterval(Duration.ofSeconds(5))
            .build()
            .stats();
    assertEquals(new StatsSettings(true, Duration.ofSeconds(1), Duration.ofSeconds(5)), s);
  }

  @Test
  void badValuesAreRefusedNamingTheVariable() {
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () -> stats(Map.of("WANDB__STATS_SAMPLE_RATE_SECONDS", "soon")));
    assertTrue(e.getMessage().contains("WANDB__STATS_SAMPLE_RATE_SECONDS"), e.getMessage());
    e =
        assertThrows(
            IllegalArgumentException.class,
            () -> stats(Map.of("WANDB__STATS_SAMPLES_TO_AVERAGE", "0")));
    assertTrue(e.getMessage().contains("WANDB__STATS_SAMPLES_TO_AVERAGE"), e.getMessage());
    e =
        assertThrows(
            IllegalArgumentException.class,
            () -> Settings.builder().statsSampleInterval(Duration.ofMillis(10)).build());
    assertTrue(e.getMessage().contains("at least 100 ms"), e.getMessage());
  }
}
