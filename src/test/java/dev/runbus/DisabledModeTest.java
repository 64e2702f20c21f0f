package dev.runbus;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DisabledModeTest {

  @TempDir Path dir;

  @Test
  void disabledWritesNothing() {
    Run run =
        Runbus.init(
            Settings.builder().dir(dir).environment(Map.of("WANDB_MODE", "disabled")).build());
    assertEquals(Mode.DISABLED, run.mode());
    run.log(Map.of("x", 1));
    // checked as a tracked run checks it (ModeParityTest has the rest)
    assertThrows(IllegalArgumentException.class, () -> run.log(Map.of("x", new Object())));
    run.config().set("a", 1);
    run.summary().set("b", 2);
    run.defineMetric("loss");
    RunResult result = run.finish();
    assertEquals(0, result.historyRows());
    assertNull(run.dir());
    assertFalse(Files.exists(dir.resolve("wandb")));
  }

  @Test
  void aLibraryReadsItsConfigBackWhenTrackingIsOff() {
    Run run =
        Runbus.init(
            Settings.builder()
                .config(Map.of("lr", 0.01, "layers", java.util.List.of(64, 32)))
                .environment(Map.of("WANDB_MODE", "disabled"))
                .build());
    run.config().set("optimizer", "adam");
    assertEquals(0.01, run.config().get("lr"));
    assertEquals(java.util.List.of(64L, 32L), run.config().get("layers"));
    assertEquals("adam", run.config().get("optimizer"));
    run.summary().set("best", 7);
    assertEquals(7L, run.summary().get("best"), "as a tracked run's summary gives it back");
    assertEquals(Map.of("best", 7L), run.finish().summary());
  }

  @Test
  void turningTrackingOffDoesNotHideABadConfigValue() {
    org.junit.jupiter.api.Assertions.assertThrows(
        IllegalArgumentException.class,
        () ->
            Runbus.init(
                Settings.builder()
                    .config(Map.of("model", new Object()))
                    .environment(Map.of("WANDB_MODE", "disabled"))
                    .build()));
  }

  @Test
  void wandbDisabledTrueAlsoDisables() {
    Settings s = Settings.builder().environment(Map.of("WANDB_DISABLED", "true")).build();
    assertEquals(Mode.DISABLED, s.mode());
  }
}
