package dev.runbus;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.runbus.json.LogValues;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Bad input gets an error naming the problem, and nothing logged before it is lost. */
class BadInputTest {

  @TempDir Path dir;
  Run run;

  @BeforeEach
  void start() {
    run = Runbus.init(RunLogs.quietOffline(dir).build());
    run.log(Map.of("good", 1));
  }

  @AfterEach
  void finishAndCheckNothingWasLost() throws Exception {
    run.log(Map.of("good", 2));
    RunResult result = run.finish();
    List<Map<String, String>> rows = RunLogs.history(RunLogs.records(result.logFile()));
    for (Map<String, String> row : rows) {
      assertTrue(
          row.keySet().stream().noneMatch(key -> key.startsWith("fine")),
          "a key of a rejected row was logged: " + row);
    }
    assertEquals(2, rows.size(), "only the good rows, both of them");
    assertEquals("1", rows.get(0).get("good"));
    assertEquals("2", rows.get(1).get("good"));
  }

  static Stream<Arguments> badRows() {
    Map<String, Object> nullKey = new HashMap<>();
    nullKey.put(null, 1);
    Map<String, Object> cycle = new HashMap<>();
    cycle.put("self", cycle);
    List<Object> listCycle = new ArrayList<>();
    listCycle.add(listCycle);
    Map<String, Object> nestedNullKey = new HashMap<>();
    nestedNullKey.put(null, 1);
    return Stream.of(
        Arguments.of("null key", nullKey, "null"),
        Arguments.of("empty key", Map.of("", 1), "empty"),
        Arguments.of("_step", Map.of("_step", 1), "_step"),
        Arguments.of("_runtime", Map.of("_runtime", 1), "_runtime"),
        Arguments.of("_timestamp", Map.of("_timestamp", 1), "_timestamp"),
        Arguments.of("long key", Map.of("k".repeat(10_000), 1), "10000"),
        Arguments.of("arbitrary object", Map.of("model", new Object()), "model"),
        Arguments.of("thread", Map.of("worker", Thread.currentThread()), "java.lang.Thread"),
        Arguments.of("map cycle", Map.of("state", cycle), "cycle"),
        Arguments.of("list cycle", Map.of("xs", listCycle), "cycle"),
        Arguments.of("nested null key", Map.of("cfg", nestedNullKey), "cfg"),
        Arguments.of("object in list", Map.of("xs", List.of(1, new Object())), "xs"),
        Arguments.of(
            "long nested key",
            Map.of("cfg", List.of(Map.of("k".repeat(LogValues.MAX_NESTED_KEY_LENGTH + 1), 1))),
            "cfg[0]"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("badRows")
  void logRejectsWithAMessageNamingTheProblem(String what, Map<String, ?> row, String named) {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> run.log(row));
    assertTrue(e.getMessage().contains(named), what + ": " + e.getMessage());
  }

  /** Each bad row with good keys around its bad one: the bad key first, in the middle, last. */
  static Stream<Arguments> badRowsAmongGoodKeys() {
    return badRows()
        .flatMap(
            args -> {
              Object[] a = args.get();
              return Stream.of(0, 1, 2)
                  .map(at -> Arguments.of(a[0] + ", bad key " + POSITIONS[at], a[1], at));
            });
  }

  private static final String[] POSITIONS = {"first", "in the middle", "last"};

  /**
   * The row keeps its order (a LinkedHashMap), so whichever way log() goes through it, good keys
   * before and after the bad one would show in the log were any of them logged.
   */
  @ParameterizedTest(name = "{0}")
  @MethodSource("badRowsAmongGoodKeys")
  void aRowWithOneBadValueIsRejectedWhole(String what, Map<String, ?> bad, int badAt) {
    Map<String, Object> row = new LinkedHashMap<>();
    for (int i = 0; i < 2; i++) {
      if (i == badAt) {
        row.putAll(bad);
      }
      row.put("fine" + i, 3);
    }
    if (badAt == 2) {
      row.putAll(bad);
    }
    assertThrows(IllegalArgumentException.class, () -> run.log(row));
  }

  @org.junit.jupiter.api.Test
  void configAndSummaryRejectBadValuesToo() {
    assertThrows(IllegalArgumentException.class, () -> run.config().set("model", new Object()));
    assertThrows(IllegalArgumentException.class, () -> run.summary().set("", 1));
    assertThrows(IllegalArgumentException.class, () -> run.config().set("_wandb", 1));
  }

  @org.junit.jupiter.api.Test
  void aSummaryKeyErrorNamesTheSummaryCall() {
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> run.summary().set("_step", 1));
    assertTrue(e.getMessage().startsWith("summary().set() key \"_step\" is reserved"), e.getMessage());
    e = assertThrows(IllegalArgumentException.class, () -> run.summary().remove(""));
    assertEquals("summary().remove() key must not be empty", e.getMessage());
  }
}
