package dev.runbus;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import org.junit.jupiter.api.Test;

/** How a rank learns it attaches, and as which rank: the builder, else a launcher's environment. */
class AttachSettingsTest {

  private static Attach fromEnv(Map<String, String> env) {
    return Settings.builder().environment(env).build().attach();
  }

  @Test
  void nothingSetRunsInThisProcess() {
    assertSame(Attach.NONE, fromEnv(Map.of()));
    assertSame(Attach.NONE, fromEnv(Map.of("RUNBUS_ATTACH", "off", "RANK", "3")));
  }

  @Test
  void aLauncherScriptsVariablesMakeARank() {
    Attach attach =
        fromEnv(
            Map.of(
                "RUNBUS_ATTACH", "cluster",
                "RUNBUS_RANK", "2",
                "RUNBUS_WORLD_SIZE", "4",
                "RUNBUS_SERVICE_TOKEN", " secret ",
                "WANDB_RUN_ID", "job-7"));
    assertEquals(new Attach(true, 2, 4, "secret", true), attach);
  }

  @Test
  void torchrunsRankAndWorldSizeAreTheFallback() {
    Attach attach =
        fromEnv(
            Map.of(
                "RUNBUS_ATTACH", "Cluster",
                "RANK", "1",
                "WORLD_SIZE", "3",
                "RUNBUS_WORLD_SIZE", "",
                "WANDB_RUN_ID", "job-7"));
    assertEquals(1, attach.rank());
    assertEquals(3, attach.worldSize());
    // runbus's own names win over torchrun's
    Attach own =
        fromEnv(
            Map.of(
                "RUNBUS_ATTACH", "cluster",
                "RANK", "1",
                "RUNBUS_RANK", "0",
                "WORLD_SIZE", "3",
                "WANDB_RUN_ID", "job-7"));
    assertEquals(0, own.rank());
  }

  @Test
  void aSingleRankNeedsNoRunIdAndLabelsNothing() {
    Attach attach = fromEnv(Map.of("RUNBUS_ATTACH", "cluster"));
    assertEquals(new Attach(true, 0, 1, "", false), attach);
  }

  @Test
  void theBuilderWinsOverTheEnvironment() {
    Attach attach =
        Settings.builder()
            .environment(Map.of("RUNBUS_ATTACH", "none", "RUNBUS_RANK", "5"))
            .attach(true)
            .rank(1)
            .worldSize(2)
            .runId("shared")
            .serviceToken("t")
            .labelRankKeys(false)
            .build()
            .attach();
    assertEquals(new Attach(true, 1, 2, "t", false), attach);
    assertSame(
        Attach.NONE,
        Settings.builder()
            .environment(Map.of("RUNBUS_ATTACH", "cluster"))
            .attach(false)
            .build()
            .attach());
  }

  @Test
  void severalRanksWithoutASharedRunIdAreRefusedSayingWhatToSet() {
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () -> fromEnv(Map.of("RUNBUS_ATTACH", "cluster", "RANK", "1", "WORLD_SIZE", "2")));
    assertTrue(e.getMessage().contains("WANDB_RUN_ID"), e.getMessage());
    assertTrue(e.getMessage().contains("rank 1 of 2"), e.getMessage());
  }

  @Test
  void badValuesNameTheirVariable() {
    IllegalArgumentException mode =
        assertThrows(IllegalArgumentException.class, () -> fromEnv(Map.of("RUNBUS_ATTACH", "grpc")));
    assertTrue(mode.getMessage().startsWith("RUNBUS_ATTACH=\"grpc\""), mode.getMessage());
    IllegalArgumentException rank =
        assertThrows(
            IllegalArgumentException.class,
            () -> fromEnv(Map.of("RUNBUS_ATTACH", "cluster", "RANK", "one")));
    assertTrue(rank.getMessage().startsWith("RANK=\"one\""), rank.getMessage());
    IllegalArgumentException outside =
        assertThrows(
            IllegalArgumentException.class,
            () ->
                fromEnv(
                    Map.of(
                        "RUNBUS_ATTACH", "cluster",
                        "RUNBUS_RANK", "3",
                        "RUNBUS_WORLD_SIZE", "3",
                        "WANDB_RUN_ID", "r")));
    assertTrue(outside.getMessage().contains("rank 3 is outside a world of 3"), outside.getMessage());
    assertTrue(outside.getMessage().contains("RUNBUS_RANK"), outside.getMessage());
    IllegalArgumentException world =
        assertThrows(
            IllegalArgumentException.class,
            () -> fromEnv(Map.of("RUNBUS_ATTACH", "cluster", "WORLD_SIZE", "0")));
    assertTrue(world.getMessage().contains("(from WORLD_SIZE)"), world.getMessage());
  }

  @Test
  void theTokenIsNeverPrinted() {
    Settings settings =
        Settings.builder()
            .environment(Map.of())
            .attach(true)
            .serviceToken("hunter2")
            .build();
    assertFalse(settings.attach().toString().contains("hunter2"));
  }
}
