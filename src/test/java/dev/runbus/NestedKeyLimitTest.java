package dev.runbus;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.core.StreamReadConstraints;
import dev.runbus.json.LogValues;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;
import org.junit.jupiter.api.io.TempDir;

/**
 * A map key inside a value has a limit, checked where the value is given: what log(), config and
 * summary accept, finish() can read back.
 */
class NestedKeyLimitTest {

  static final String AT_LIMIT = "k".repeat(LogValues.MAX_NESTED_KEY_LENGTH);
  static final String TOO_LONG = "k".repeat(LogValues.MAX_NESTED_KEY_LENGTH + 1);

  @TempDir Path dir;

  @Test
  void theLimitIsNoLongerThanWhatJsonReadersAccept() {
    assertTrue(LogValues.MAX_NESTED_KEY_LENGTH <= StreamReadConstraints.DEFAULT_MAX_NAME_LEN);
  }

  @Test
  void keysAtTheLimitAreLoggedSetAndReadBackAtFinish() {
    Run run =
        Runbus.init(RunLogs.quietOffline(dir).config(Map.of("c0", Map.of(AT_LIMIT, 0))).build());
    run.log(Map.of("n", Map.of(AT_LIMIT, 1)));
    run.config().set("c", Map.of(AT_LIMIT, 2));
    run.summary().set("s", List.of(Map.of(AT_LIMIT, 3)));
    RunResult result = run.finish();
    assertEquals(Map.of(AT_LIMIT, 1L), result.summary().get("n"));
    assertEquals(List.of(Map.of(AT_LIMIT, 3L)), result.summary().get("s"));
    assertEquals(Map.of(AT_LIMIT, 2L), run.config().get("c"));
  }

  @Test
  void aLongerKeyIsRefusedByEveryCallAndFinishStillReturnsAResult() throws Exception {
    Run run = Runbus.init(RunLogs.quietOffline(dir).build());
    run.log(Map.of("x", 1));
    refused("log() value for key \"n\"", () -> run.log(Map.of("n", Map.of(TOO_LONG, 1))));
    refused(
        "config value for key \"c\"",
        () -> run.config().set("c", Map.of("inner", Map.of(TOO_LONG, 1))));
    refused(
        "summary().set() value for key \"s\"",
        () -> run.summary().set("s", List.of(Map.of(TOO_LONG, 1))));
    refused(
        "summary().update() value for key \"s\"",
        () -> run.summary().update(Map.of("s", Map.of(TOO_LONG, 1))));
    refused(
        "config value for key \"c0\"",
        () ->
            Runbus.init(
                RunLogs.quietOffline(dir).config(Map.of("c0", Map.of(TOO_LONG, 1))).build()));

    RunResult result = run.finish();
    assertEquals(1, RunLogs.history(RunLogs.records(result.logFile())).size());
    assertEquals(1L, result.summary().get("x"));
  }

  @Test
  void aDisabledRunRefusesItToo() {
    Run run = Runbus.init(Settings.builder().mode(Mode.DISABLED).environment(Map.of()).build());
    refused("config value", () -> run.config().set("c", Map.of(TOO_LONG, 1)));
    refused("summary().set() value", () -> run.summary().set("s", Map.of(TOO_LONG, 1)));
  }

  private static void refused(String named, Executable call) {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, call);
    assertTrue(e.getMessage().startsWith(named), e.getMessage());
    assertTrue(
        e.getMessage().contains("map keys inside values may have at most 50000"), e.getMessage());
  }
}
