package dev.runbus;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.runbus.proto.Record;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * An unpaired surrogate has no UTF-8 form: protobuf would write {@code ?} in its place. Every name
 * refuses it, as log() keys do; every value keeps it, escaped in its JSON, as log() values do.
 */
class UnpairedSurrogateTest {

  /** A lone high surrogate between two letters. */
  static final String BAD = "a\uD800b";

  @TempDir Path dir;

  static Stream<Arguments> settings() {
    return Stream.<Object[]>of(
            new Object[] {
              "project", (Consumer<Settings.Builder>) b -> b.project(BAD), "WANDB_PROJECT"
            },
            new Object[] {"name", (Consumer<Settings.Builder>) b -> b.name(BAD), "WANDB_NAME"},
            new Object[] {"notes", (Consumer<Settings.Builder>) b -> b.notes(BAD), "WANDB_NOTES"},
            new Object[] {"tag", (Consumer<Settings.Builder>) b -> b.tags("ok", BAD), "WANDB_TAGS"},
            new Object[] {
              "entity", (Consumer<Settings.Builder>) b -> b.entity(BAD), "WANDB_ENTITY"
            },
            new Object[] {
              "group", (Consumer<Settings.Builder>) b -> b.group(BAD), "WANDB_RUN_GROUP"
            },
            new Object[] {
              "jobType", (Consumer<Settings.Builder>) b -> b.jobType(BAD), "WANDB_JOB_TYPE"
            })
        .map(Arguments::of);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("settings")
  void aSettingIsRefusedNamingItWhetherFromTheBuilderOrItsVariable(
      String setting, Consumer<Settings.Builder> set, String variable) {
    Settings.Builder builder = Settings.builder().environment(Map.of());
    set.accept(builder);
    refused(setting + " \"a\\uD800b\"", builder::build);
    refused(
        variable.equals("WANDB_TAGS") ? "WANDB_TAGS tag" : variable,
        () -> Settings.builder().environment(Map.of(variable, "ok," + BAD)).build());
  }

  @Test
  void configKeysAreRefusedWhereverTheyAreGiven() {
    Run run = Runbus.init(RunLogs.quietOffline(dir).build());
    refused("config key", () -> run.config().set(BAD, 1));
    refused("config key", () -> run.config().update(Map.of("fine", 1, BAD, 2)));
    refused(
        "config key", () -> Runbus.init(RunLogs.quietOffline(dir).config(Map.of(BAD, 1)).build()));
    Run disabled =
        Runbus.init(Settings.builder().mode(Mode.DISABLED).environment(Map.of()).build());
    refused("config key", () -> disabled.config().set(BAD, 1));
    assertEquals(Map.of(), run.config().asMap(), "nothing of a refused update is kept");
    run.finish();
  }

  @Test
  void metricNamesAndStepMetricsAreRefused() {
    refused("defineMetric() name", () -> MetricDefinition.of(BAD));
    refused("defineMetric() name", () -> MetricDefinition.of(BAD + "*"));
    refused("defineMetric(\"loss\") stepMetric", () -> MetricDefinition.of("loss").stepMetric(BAD));
  }

  @Test
  void logAndSummaryKeysAreRefusedAsBefore() {
    Run run = Runbus.init(RunLogs.quietOffline(dir).build());
    refused("log() key", () -> run.log(Map.of(BAD, 1)));
    refused("summary().set() key", () -> run.summary().set(BAD, 1));
    refused("summary().remove() key", () -> run.summary().remove(BAD));
    run.finish();
  }

  /** What log() does with one in a string value, config and summary do too: keep it, escaped. */
  @Test
  void valuesKeepItTheSameWayInLogConfigAndSummary() throws Exception {
    Run run = Runbus.init(RunLogs.quietOffline(dir).build());
    run.log(Map.of("logged", BAD, "loggedNested", Map.of(BAD, BAD)));
    run.config().set("set", BAD);
    run.config().set("setNested", Map.of(BAD, BAD));
    run.summary().set("summarized", BAD);
    run.summary().set("summarizedNested", Map.of(BAD, BAD));
    assertEquals(BAD, run.config().get("set"));
    assertEquals(Map.of(BAD, BAD), run.config().get("setNested"));
    RunResult result = run.finish();

    String json = "\"a\\uD800b\"";
    String nested = "{" + json + ":" + json + "}";
    List<Record> records = RunLogs.records(result.logFile());
    Map<String, String> row = RunLogs.history(records).get(0);
    assertEquals(json, row.get("logged"));
    assertEquals(nested, row.get("loggedNested"));
    assertEquals(Map.of("set", json, "setNested", nested), configItems(records));
    for (String key : List.of("logged", "summarized")) {
      assertEquals(BAD, result.summary().get(key), key);
    }
    for (String key : List.of("loggedNested", "summarizedNested")) {
      assertEquals(Map.of(BAD, BAD), result.summary().get(key), key);
    }
    assertTrue(
        Files.readString(result.dir().resolve("files/config.yaml")).contains("\"a\\uD800b\""),
        "config.yaml escapes it too");
  }

  private static Map<String, String> configItems(List<Record> records) {
    Map<String, String> items = new java.util.LinkedHashMap<>();
    records.stream()
        .filter(Record::hasConfig)
        .flatMap(r -> r.getConfig().getUpdateList().stream())
        .forEach(item -> items.put(item.getKey(), item.getValueJson()));
    return items;
  }

  private static void refused(String named, Executable call) {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, call);
    assertTrue(e.getMessage().startsWith(named), e.getMessage());
    assertTrue(e.getMessage().contains("unpaired surrogate U+D800"), e.getMessage());
  }
}
