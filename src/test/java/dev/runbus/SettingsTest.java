package dev.runbus;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SettingsTest {

  @Test
  void wandbVariablesFillWhatTheBuilderLeavesOpen() {
    Settings s =
        Settings.builder()
            .environment(
                Map.of(
                    "WANDB_MODE", "dryrun",
                    "WANDB_DIR", "/tmp/x",
                    "WANDB_PROJECT", "p",
                    "WANDB_ENTITY", "e",
                    "WANDB_RUN_ID", "run-1",
                    "WANDB_NAME", "n",
                    "WANDB_NOTES", "notes",
                    "WANDB_TAGS", "a, b,,c",
                    "WANDB_RUN_GROUP", "g",
                    "WANDB_JOB_TYPE", "train"))
            .build();
    assertEquals(Mode.OFFLINE, s.mode());
    assertEquals(Path.of("/tmp/x"), s.dir());
    assertEquals("p", s.project());
    assertEquals("e", s.entity());
    assertEquals("run-1", s.runId());
    assertEquals("n", s.name());
    assertEquals("notes", s.notes());
    assertEquals(List.of("a", "b", "c"), s.tags());
    assertEquals("g", s.group());
    assertEquals("train", s.jobType());
  }

  @Test
  void theBuilderWinsOverTheEnvironment() {
    Settings s =
        Settings.builder()
            .project("mine")
            .mode(Mode.DISABLED)
            .environment(Map.of("WANDB_PROJECT", "env", "WANDB_MODE", "offline"))
            .build();
    assertEquals("mine", s.project());
    assertEquals(Mode.DISABLED, s.mode());
  }

  @Test
  void defaultsAreOfflineWithoutARunIdUntilInit() {
    Settings s = Settings.builder().environment(Map.of()).build();
    assertEquals(Mode.OFFLINE, s.mode());
    assertEquals("", s.runId(), "each run draws its own at init");
    assertEquals(FsyncPolicy.AT_FINISH, s.fsync());
  }

  @Test
  void consoleCaptureIsOnUnlessWandbConsoleOrTheBuilderSaysOff() {
    assertTrue(Settings.builder().environment(Map.of()).build().console());
    assertTrue(Settings.builder().environment(Map.of("WANDB_CONSOLE", "wrap")).build().console());
    assertFalse(Settings.builder().environment(Map.of("WANDB_CONSOLE", "off")).build().console());
    assertFalse(Settings.builder().console(false).environment(Map.of()).build().console());
    assertTrue(
        Settings.builder().console(true).environment(Map.of("WANDB_CONSOLE", "off")).build().console());
    IllegalArgumentException bad =
        assertThrows(
            IllegalArgumentException.class,
            () -> Settings.builder().environment(Map.of("WANDB_CONSOLE", "loud")).build());
    assertTrue(bad.getMessage().contains("WANDB_CONSOLE"), bad.getMessage());
  }

  @Test
  void gitMetadataIsReadUnlessWandbDisableGitOrTheBuilderSaysOff() {
    assertTrue(Settings.builder().environment(Map.of()).build().gitMetadata());
    assertFalse(
        Settings.builder().environment(Map.of("WANDB_DISABLE_GIT", "true")).build().gitMetadata());
    assertTrue(
        Settings.builder().environment(Map.of("WANDB_DISABLE_GIT", "false")).build().gitMetadata());
    assertFalse(Settings.builder().gitMetadata(false).environment(Map.of()).build().gitMetadata());
    assertTrue(
        Settings.builder()
            .gitMetadata(true)
            .environment(Map.of("WANDB_DISABLE_GIT", "1"))
            .build()
            .gitMetadata());
  }

  @Test
  void badValuesAreNamed() {
    IllegalArgumentException mode =
        assertThrows(
            IllegalArgumentException.class,
            () -> Settings.builder().environment(Map.of("WANDB_MODE", "sometimes")).build());
    assertTrue(mode.getMessage().contains("sometimes"));
    IllegalArgumentException id =
        assertThrows(
            IllegalArgumentException.class,
            () -> Settings.builder().runId("a/b").environment(Map.of()).build());
    assertTrue(id.getMessage().contains("'/'"), id.getMessage());
    IllegalArgumentException empty =
        assertThrows(
            IllegalArgumentException.class,
            () -> Settings.builder().runId("").environment(Map.of()).build());
    assertTrue(empty.getMessage().contains("1 to 64 characters"), empty.getMessage());
    assertThrows(IllegalArgumentException.class, () -> Settings.builder().queueCapacity(0));
  }

  @Test
  void aBadRunIdIsNamedByWhereItCameFrom() {
    IllegalArgumentException fromEnv =
        assertThrows(
            IllegalArgumentException.class,
            () -> Settings.builder().environment(Map.of("WANDB_RUN_ID", "a/b")).build());
    assertEquals(
        "WANDB_RUN_ID: run id \"a/b\" has the character '/': use letters, digits, '-', '_' and"
            + " '.' (it names files and addresses)",
        fromEnv.getMessage());
    IllegalArgumentException tooLong =
        assertThrows(
            IllegalArgumentException.class,
            () -> Settings.builder().environment(Map.of("WANDB_RUN_ID", "x".repeat(65))).build());
    assertTrue(tooLong.getMessage().startsWith("WANDB_RUN_ID: run id "), tooLong.getMessage());

    IllegalArgumentException fromBuilder =
        assertThrows(
            IllegalArgumentException.class,
            () ->
                Settings.builder()
                    .runId("a/b")
                    .environment(Map.of("WANDB_RUN_ID", "fine"))
                    .build());
    assertTrue(
        fromBuilder.getMessage().startsWith("Settings.runId: run id \"a/b\""),
        fromBuilder.getMessage());
    IllegalArgumentException empty =
        assertThrows(
            IllegalArgumentException.class,
            () -> Settings.builder().runId("").environment(Map.of("WANDB_RUN_ID", "a/b")).build());
    assertTrue(empty.getMessage().startsWith("Settings.runId: "), empty.getMessage());
  }

  @Test
  void onlineNeedsAServerAndAKeyAndSaysWhereToSetThem() {
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () -> Settings.builder().mode(Mode.ONLINE).environment(Map.of()).build());
    assertTrue(e.getMessage().contains("WANDB_BASE_URL and WANDB_API_KEY"), e.getMessage());
    assertTrue(e.getMessage().contains("WANDB_MODE=offline"), e.getMessage());
  }

  @Test
  void onlineIsTheDefaultOnceAServerAndKeyAreKnownAndWandbModeOfflineStillWins() {
    Map<String, String> server =
        Map.of("WANDB_BASE_URL", "http://127.0.0.1:8080", "WANDB_API_KEY", "k".repeat(40));
    Settings online = Settings.builder().environment(server).build();
    assertEquals(Mode.ONLINE, online.mode());
    assertEquals("http://127.0.0.1:8080", online.server().orElseThrow().baseUrl().toString());
    Map<String, String> offline = new java.util.HashMap<>(server);
    offline.put("WANDB_MODE", "offline");
    assertEquals(Mode.OFFLINE, Settings.builder().environment(offline).build().mode());
    Map<String, String> urlOnly = Map.of("WANDB_BASE_URL", "http://127.0.0.1:8080");
    assertEquals(
        Mode.OFFLINE,
        Settings.builder().environment(urlOnly).build().mode(),
        "a server without a key is not enough");
    assertEquals(
        Mode.ONLINE,
        Settings.builder()
            .baseUrl("http://127.0.0.1:9")
            .apiKey("x".repeat(40))
            .environment(Map.of())
            .build()
            .mode());
  }

  @Test
  void resumeTakesWandbWordsAndNamesTheBadOne() {
    assertEquals("allow", Settings.builder().resume("allow").environment(Map.of()).build().resume());
    assertEquals(
        "must", Settings.builder().environment(Map.of("WANDB_RESUME", "MUST")).build().resume());
    assertEquals("", Settings.builder().environment(Map.of()).build().resume());
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () -> Settings.builder().environment(Map.of("WANDB_RESUME", "sometimes")).build());
    assertTrue(e.getMessage().contains("\"sometimes\""), e.getMessage());
    assertThrows(
        IllegalArgumentException.class, () -> Settings.builder().finishTimeout(Duration.ZERO));
  }

  @Test
  void theQueueIsBoundedInBytesByDefaultAndInRowsOnlyWhenAsked() {
    Settings s = Settings.builder().environment(Map.of()).build();
    assertEquals(Integer.MAX_VALUE, s.queueCapacity());
    assertEquals(
        Math.min(64L << 20, Runtime.getRuntime().maxMemory() / 8),
        s.queueBytes(),
        "an eighth of the heap, at most 64 MiB");
    Settings set =
        Settings.builder().queueCapacity(100).queueBytes(1 << 20).environment(Map.of()).build();
    assertEquals(100, set.queueCapacity());
    assertEquals(1 << 20, set.queueBytes());
    IllegalArgumentException bytes =
        assertThrows(IllegalArgumentException.class, () -> Settings.builder().queueBytes(0));
    assertTrue(bytes.getMessage().contains("queueBytes"), bytes.getMessage());
    assertThrows(IllegalArgumentException.class, () -> Settings.builder().queueBytes(-1));
  }
}
