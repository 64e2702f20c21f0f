package dev.runbus.handler;

import static dev.runbus.handler.Fixtures.Log;
import static dev.runbus.handler.Fixtures.glob;
import static dev.runbus.handler.Fixtures.metric;
import static dev.runbus.handler.Fixtures.metricRecord;
import static dev.runbus.handler.Fixtures.summary;
import static dev.runbus.handler.Fixtures.summaryUpdate;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.params.provider.Arguments.arguments;

import dev.runbus.handler.Fixtures.RecordingSink;
import dev.runbus.proto.HistoryItem;
import dev.runbus.proto.MetricControl;
import dev.runbus.proto.MetricRecord.MetricGoal;
import dev.runbus.proto.PartialHistoryRequest;
import dev.runbus.proto.Record;
import dev.runbus.proto.Request;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** §2.4 with define_metric: what each summary flag leaves in the consolidated summary. */
class DefineMetricSummaryTest {

  /** One define_metric("loss", summary=flags) and a series of loss values. */
  static Stream<Arguments> flagsOnLoss() {
    return Stream.of(
        arguments("min of ints stays an int", "min", List.of("3", "1", "2"), "{\"min\":1}"),
        arguments("max keeps the logged text", "max", List.of("0.5", "2.5", "1"), "{\"max\":2.5}"),
        arguments("mean of ints, fractional", "mean", List.of("1", "2"), "{\"mean\":1.5}"),
        arguments("mean of ints, integral", "mean", List.of("2", "4"), "{\"mean\":3}"),
        arguments("mean of floats", "mean", List.of("1.0", "3.0"), "{\"mean\":2.0}"),
        arguments(
            "mean, shortest repr", "mean", List.of("0.1", "0.2"), "{\"mean\":0.15000000000000002}"),
        arguments("best without goal minimizes", "best", List.of("3", "1", "2"), "{\"best\":1}"),
        arguments("last", "last", List.of("3", "1", "2"), "{\"last\":2}"),
        arguments("first", "first", List.of("3", "1", "2"), "{\"first\":3}"),
        arguments("copy stores the plain value", "copy", List.of("3", "1", "2"), "2"),
        arguments("none stores nothing", "none", List.of("3", "1"), null),
        arguments(
            "several flags make one object",
            "min,max,mean,last",
            List.of("3", "1", "2"),
            "{\"min\":1,\"max\":3,\"mean\":2,\"last\":2}"),
        arguments(
            "NaN is skipped by min/max/mean",
            "min,max,mean",
            List.of("3", "NaN", "1"),
            "{\"min\":1,\"max\":3,\"mean\":2}"),
        arguments(
            "non-numbers are skipped",
            "min,last",
            List.of("2", "\"oops\"", "null", "[1]"),
            "{\"min\":2,\"last\":2}"),
        arguments(
            "booleans are real numbers, kept as booleans",
            "min,max,mean,last,first",
            List.of("true", "false", "true"),
            "{\"min\":false,\"max\":true,\"mean\":0.6666666666666666,\"last\":true,"
                + "\"first\":true}"),
        arguments("last of a boolean alone", "last", List.of("false"), "{\"last\":false}"),
        arguments(
            "infinities are real numbers",
            "min,max",
            List.of("1", "Infinity", "-Infinity"),
            "{\"min\":-Infinity,\"max\":Infinity}"),
        arguments(
            "mean over both infinities is NaN",
            "mean",
            List.of("Infinity", "-Infinity"),
            "{\"mean\":NaN}"),
        arguments("only non-numbers: no summary", "max", List.of("\"a\""), null));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("flagsOnLoss")
  void summaryFlags(String name, String flags, List<String> values, String expected) {
    Scenario run = new Scenario();
    run.define(metric("loss").setSummary(summary(flags)));
    values.forEach(v -> run.log("loss", v));
    assertEquals(expected, run.summaryAt("loss"));
  }

  static Stream<Arguments> definitions() {
    return Stream.of(
        arguments(
            "best with goal maximize",
            List.of(metric("acc").setSummary(summary("best")).setGoal(MetricGoal.GOAL_MAXIMIZE)),
            List.of(Log.of("acc", "0.5"), Log.of("acc", "0.9"), Log.of("acc", "0.7")),
            new String[] {"acc"},
            "{\"best\":0.9}"),
        arguments(
            "best with goal minimize",
            List.of(metric("acc").setSummary(summary("best")).setGoal(MetricGoal.GOAL_MINIMIZE)),
            List.of(Log.of("acc", "0.5"), Log.of("acc", "0.9"), Log.of("acc", "0.3")),
            new String[] {"acc"},
            "{\"best\":0.3}"),
        arguments(
            "a definition without summary keeps the plain last value",
            List.of(metric("acc").setStepMetric("epoch")),
            List.of(Log.of("acc", "0.5"), Log.of("acc", "0.9")),
            new String[] {"acc"},
            "0.9"),
        arguments(
            "undefined keys keep the last value while definitions exist",
            List.of(metric("loss").setSummary(summary("min"))),
            List.of(Log.of("other", "1", "loss", "2"), Log.of("other", "\"x\"")),
            new String[] {"other"},
            "\"x\""),
        arguments(
            "a dotted name reaches into a nested dict",
            List.of(metric("a.b").setSummary(summary("min"))),
            List.of(Log.of("a", "{\"b\": 3, \"c\": \"x\"}"), Log.of("a", "{\"b\": 1}")),
            new String[] {"a"},
            "{\"b\":{\"min\":1},\"c\":\"x\"}"),
        arguments(
            "a dotted name does not match a literal dotted key",
            List.of(metric("a.b").setSummary(summary("min"))),
            List.of(Log.of("a.b", "3"), Log.of("a.b", "1"), Log.of("a.b", "2")),
            new String[] {"a.b"},
            "2"),
        arguments(
            "an escaped dot matches the literal dotted key",
            List.of(metric("a\\.b").setSummary(summary("min"))),
            List.of(Log.of("a.b", "3"), Log.of("a.b", "1"), Log.of("a.b", "2")),
            new String[] {"a.b"},
            "{\"min\":1}"),
        arguments(
            "an escaped dot inside a nested path",
            List.of(metric("m.x\\.y").setSummary(summary("max"))),
            List.of(Log.of("m", "{\"x.y\": 3}"), Log.of("m", "{\"x.y\": 5}")),
            new String[] {"m", "x.y"},
            "{\"max\":5}"),
        arguments(
            "nested leaves inherit the parent's definition",
            List.of(metric("a").setSummary(summary("max"))),
            List.of(Log.of("a", "{\"b\": 1, \"c\": {\"d\": 7}}"), Log.of("a", "{\"b\": 5}")),
            new String[] {"a"},
            "{\"b\":{\"max\":5},\"c\":{\"d\":{\"max\":7}}}"),
        arguments(
            "copy on a nested path stores the plain value",
            List.of(metric("a.b").setSummary(summary("copy"))),
            List.of(Log.of("a", "{\"b\": 1}"), Log.of("a", "{\"b\": 4}")),
            new String[] {"a"},
            "{\"b\":4}"),
        arguments(
            "a glob applies to matching keys",
            List.of(glob("train/*").setSummary(summary("min"))),
            List.of(
                Log.of("train/loss", "3", "val/loss", "3"),
                Log.of("train/loss", "1", "val/loss", "1")),
            new String[] {"train/loss"},
            "{\"min\":1}"),
        arguments(
            "a glob leaves other keys alone",
            List.of(glob("train/*").setSummary(summary("min"))),
            List.of(
                Log.of("train/loss", "3", "val/loss", "3"),
                Log.of("train/loss", "1", "val/loss", "1")),
            new String[] {"val/loss"},
            "1"),
        arguments(
            "a second definition merges",
            List.of(
                metric("loss").setSummary(summary("min")),
                metric("loss").setSummary(summary("max"))),
            List.of(Log.of("loss", "3"), Log.of("loss", "1")),
            new String[] {"loss"},
            "{\"min\":1,\"max\":3}"),
        arguments(
            "overwrite replaces the definition",
            List.of(
                metric("loss").setSummary(summary("min")),
                metric("loss")
                    .setSummary(summary("max"))
                    .setControl(MetricControl.newBuilder().setOverwrite(true))),
            List.of(Log.of("loss", "3"), Log.of("loss", "1")),
            new String[] {"loss"},
            "{\"max\":3}"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("definitions")
  void definitionsShapeTheSummary(
      String name,
      List<dev.runbus.proto.MetricRecord.Builder> definitions,
      List<Log> rows,
      String[] path,
      String expected) {
    Scenario run = new Scenario();
    definitions.forEach(run::define);
    rows.forEach(run::log);
    assertEquals(expected, run.summaryAt(path));
  }

  @Test
  void nestedKeyHistoryItemsUseTheNearestDefinitionOnTheirPath() {
    Scenario run = new Scenario();
    run.define(metric("o").setSummary(summary("max")));
    for (String value : List.of("3", "7", "5")) {
      run.handle(
          Record.newBuilder()
              .setRequest(
                  Request.newBuilder()
                      .setPartialHistory(
                          PartialHistoryRequest.newBuilder()
                              .addItem(
                                  HistoryItem.newBuilder()
                                      .addNestedKey("o")
                                      .addNestedKey("x")
                                      .setValueJson(value))))
              .build());
    }
    assertEquals("{\"x\":{\"max\":7}}", run.summaryAt("o"));
  }

  static Stream<Arguments> explicitSets() {
    return Stream.of(
        arguments(
            "an explicit set resets min tracking",
            "min",
            List.of(
                Log.of("loss", "3"),
                Log.of("loss", "1"),
                summaryUpdate("10", "loss"),
                Log.of("loss", "5")),
            "{\"min\":5}"),
        arguments(
            "the explicit value stands until the next row",
            "min",
            List.of(Log.of("loss", "3"), summaryUpdate("10", "loss")),
            "10"),
        arguments(
            "an explicit set resets the mean",
            "mean",
            List.of(
                Log.of("loss", "1"),
                summaryUpdate("{}", "loss"),
                Log.of("loss", "4"),
                Log.of("loss", "6")),
            "{\"mean\":5}"),
        arguments(
            "a nested explicit set resets that leaf only",
            "max",
            List.of(
                Log.of("loss", "{\"a\": 5, \"b\": 5}"),
                summaryUpdate("0", "loss", "a"),
                Log.of("loss", "{\"a\": 1, \"b\": 1}")),
            "{\"a\":{\"max\":1},\"b\":{\"max\":5}}"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("explicitSets")
  void explicitSummarySetsResetTracking(
      String name, String flags, List<Object> steps, String expected) {
    Scenario run = new Scenario();
    run.define(metric("loss").setSummary(summary(flags)));
    for (Object step : steps) {
      if (step instanceof Log log) {
        run.log(log);
      } else {
        run.handle((Record) step);
      }
    }
    assertEquals(expected, run.summaryAt("loss"));
  }

  /** A run fed through the real RunHandler. */
  static final class Scenario {
    final RunHandler handler = RunHandler.create(1000, 0);
    final RecordingSink out = new RecordingSink();
    final List<Record> in = new ArrayList<>();

    void define(dev.runbus.proto.MetricRecord.Builder metric) {
      handle(metricRecord(metric));
    }

    void log(String key, String json) {
      log(Log.of(key, json));
    }

    void log(Log log) {
      handle(log.record());
    }

    void handle(Record record) {
      in.add(record);
      handler.handle(record, out);
    }

    String summaryAt(String... path) {
      return handler.state().summary.valueJson(path);
    }
  }
}
