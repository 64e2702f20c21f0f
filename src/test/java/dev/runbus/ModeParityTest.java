package dev.runbus;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.function.Executable;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * A library that tracks optionally makes the same calls whether its user tracks or not: a tracked
 * (offline) run and a disabled one answer them alike, values with the same types, refusals with the
 * same exceptions and messages.
 */
class ModeParityTest {

  enum Colour {
    RED
  }

  @TempDir Path dir;

  @ParameterizedTest
  @EnumSource(
      value = Mode.class,
      names = {"OFFLINE", "DISABLED"})
  void theSameCallsGetTheSameAnswersInBothModes(Mode mode) {
    Run run =
        Runbus.init(
            Settings.builder()
                .mode(mode)
                .dir(dir)
                .quiet(true)
                .strictSteps(true)
                .config(Map.of("lr", 0.1f, "layers", List.of(64, 32)))
                .environment(Map.of())
                .build());
    String id = run.id();

    // config: given back as set, containers as plain lists and maps of Long
    assertEquals(0.1f, run.config().get("lr"));
    assertEquals(List.of(64L, 32L), run.config().get("layers"));
    run.config().set("batch", 128);
    assertEquals(128, run.config().get("batch"));
    refused(
        IllegalArgumentException.class,
        "config key \"_wandb\" is reserved",
        () -> run.config().set("_wandb", 1));
    refused(
        IllegalArgumentException.class,
        "config value for key \"model\" has type java.lang.Object",
        () -> run.config().set("model", new Object()));

    // summary: every value comes back as it would through the pipeline's JSON, whatever was set
    Map<String, Object> set = new LinkedHashMap<>();
    set.put("int", 1);
    set.put("float", 0.5f);
    set.put("decimal", new BigDecimal("1E+3"));
    set.put("big", new BigInteger("123456789012345678901234567890"));
    set.put("counter", new AtomicLong(5));
    set.put("nan", Double.NaN);
    set.put("char", 'c');
    set.put("enum", Colour.RED);
    set.put("ints", new int[] {1, 2});
    set.put("nested", Map.of("a", 1));
    set.put("none", null);
    run.summary().update(set);
    run.summary().set("int", 2);
    run.summary().remove("char");
    Map<String, Object> expected = new LinkedHashMap<>();
    expected.put("int", 2L);
    expected.put("float", 0.5);
    expected.put("decimal", 1000.0);
    expected.put("big", new BigInteger("123456789012345678901234567890"));
    expected.put("counter", 5L);
    expected.put("nan", Double.NaN);
    expected.put("enum", "RED");
    expected.put("ints", List.of(1L, 2L));
    expected.put("nested", Map.of("a", 1L));
    expected.put("none", null);
    assertEquals(expected, run.summary().asMap());
    assertEquals(List.copyOf(expected.keySet()), List.copyOf(run.summary().asMap().keySet()));
    assertEquals(2L, run.summary().get("int"));
    assertNull(run.summary().get("char"));
    refused(
        IllegalArgumentException.class,
        "summary().set() value for key \"model\" has type java.lang.Object",
        () -> run.summary().set("model", new Object()));
    refused(
        IllegalArgumentException.class,
        "summary().update() key \"_step\" is reserved",
        () -> run.summary().update(Map.of("_step", 1)));

    // log: the same refusals, nothing of a refused row kept, the same steps
    refused(
        IllegalArgumentException.class,
        "log() value for key \"model\" has type java.lang.Object",
        () -> run.log(Map.of("model", new Object())));
    refused(IllegalArgumentException.class, "log() row must not be null", () -> run.log(null));
    refused(
        IllegalArgumentException.class,
        "log() key \"_runtime\" is reserved",
        () -> run.log(Map.of("_runtime", 1)));
    refused(
        IllegalArgumentException.class,
        "log() value for key \"xs\" contains a cycle",
        () -> run.log(Map.of("xs", selfContaining())));
    assertEquals(0, run.step());
    run.log(Map.of("loss", 1.0));
    assertEquals(1, run.step());
    run.log(Map.of("loss", 0.5), 5);
    assertEquals(5, run.step(), "an explicit step keeps the row open");
    run.log(Map.of("acc", 0.9), false);
    assertEquals(5, run.step());
    run.log(Map.of("loss", 0.25));
    assertEquals(6, run.step());
    refused(
        IllegalArgumentException.class,
        "log() step 3 is lower than the current step 6; steps must increase (strict steps are on)",
        () -> run.log(Map.of("loss", 0.1), 3));
    assertEquals(6, run.step());
    run.defineMetric(MetricDefinition.of("acc").summary("max"));
    refused(
        IllegalArgumentException.class,
        "defineMetric() name must not be empty",
        () -> run.defineMetric(""));

    RunResult result = run.finish();
    assertEquals(id, result.runId());
    assertEquals(mode, result.mode());
    assertSame(result, run.finish(), "a second finish gives the first result");

    // after finish: the same refusals; the config's local copy still reads
    String finished = "on run " + id + ", which is already finished";
    refused(IllegalStateException.class, "log() " + finished, () -> run.log(Map.of("x", 1)));
    refused(
        IllegalStateException.class,
        "config().update() " + finished,
        () -> run.config().set("x", 1));
    refused(
        IllegalStateException.class,
        "summary().set() " + finished,
        () -> run.summary().set("x", 1));
    refused(
        IllegalStateException.class,
        "summary().remove() " + finished,
        () -> run.summary().remove("x"));
    refused(
        IllegalStateException.class, "summary().get() " + finished, () -> run.summary().get("x"));
    refused(
        IllegalStateException.class, "summary().asMap() " + finished, () -> run.summary().asMap());
    refused(IllegalStateException.class, "defineMetric() " + finished, () -> run.defineMetric("y"));
    assertEquals(128, run.config().get("batch"));
    assertTrue(run.isFinished());
  }

  private static List<Object> selfContaining() {
    List<Object> list = new java.util.ArrayList<>(Arrays.asList(1, 2));
    list.add(list);
    return list;
  }

  private static void refused(
      Class<? extends RuntimeException> type, String message, Executable call) {
    RuntimeException e = assertThrows(type, call);
    assertTrue(e.getMessage().startsWith(message), e.getMessage());
  }
}
