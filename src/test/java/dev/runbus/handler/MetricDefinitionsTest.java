package dev.runbus.handler;

import static dev.runbus.handler.Fixtures.Log;
import static dev.runbus.handler.Fixtures.glob;
import static dev.runbus.handler.Fixtures.metric;
import static dev.runbus.handler.Fixtures.metricRecord;
import static dev.runbus.handler.Fixtures.summary;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.params.provider.Arguments.arguments;

import dev.runbus.handler.Fixtures.RecordingSink;
import dev.runbus.proto.MetricControl;
import dev.runbus.proto.MetricOptions;
import dev.runbus.proto.MetricRecord;
import dev.runbus.proto.Record;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** §2.5: what definitions emit, and what they do to history rows. */
class MetricDefinitionsTest {
  private final RunHandler handler = RunHandler.create(1000, 0);
  private final RecordingSink out = new RecordingSink();

  private static MetricOptions.Builder stepSync(boolean sync) {
    return MetricOptions.newBuilder().setStepSync(sync).setDefined(true);
  }

  @Test
  void aGlobMatchEmitsAConcretePersistedDefinitionBeforeTheRow() {
    handler.handle(metricRecord(glob("train/*").setSummary(summary("min"))), out);
    out.records.clear();
    handler.handle(Log.of("train/loss", "1", "val/loss", "2").record(), out);
    handler.handle(Log.of("train/loss", "0.5").record(), out);

    assertEquals(
        List.of(
            Record.RecordTypeCase.METRIC,
            Record.RecordTypeCase.HISTORY,
            Record.RecordTypeCase.HISTORY),
        out.types());
    Record expanded = out.records.get(0);
    assertFalse(expanded.getControl().getLocal(), "expanded definitions are persisted");
    assertEquals(
        MetricRecord.newBuilder()
            .setName("train/loss")
            .setSummary(summary("min"))
            .setOptions(MetricOptions.newBuilder().setDefined(false))
            .setExpandedFromGlob(true)
            .build(),
        expanded.getMetric());
  }

  static Stream<Arguments> globMatching() {
    return Stream.of(
        arguments("train/*", "train/loss", true),
        arguments("train/*", "train/", true),
        arguments("train/*", "val/loss", false),
        arguments("train/*", "xtrain/loss", false),
        arguments("*", "anything", true),
        arguments("*", "_runtime", false),
        arguments("_*", "_private", false),
        arguments("train", "train", false),
        arguments("a.*", "a.b", true));
  }

  @ParameterizedTest(name = "glob {0} matches {1}: {2}")
  @MethodSource("globMatching")
  void onlyATrailingStarMatchesAndUnderscoreKeysNever(String glob, String key, boolean matches) {
    handler.handle(metricRecord(glob(glob)), out);
    out.records.clear();
    handler.handle(Log.of(key, "1").record(), out);
    boolean expanded =
        out.records.stream().anyMatch(r -> r.hasMetric() && r.getMetric().getExpandedFromGlob());
    assertEquals(matches, expanded);
  }

  @Test
  void anExpandedNameEscapesLiteralDots() {
    handler.handle(metricRecord(glob("a.*")), out);
    out.records.clear();
    handler.handle(Log.of("a.b", "1").record(), out);
    assertEquals("a\\.b", out.records.get(0).getMetric().getName());
  }

  @Test
  void anUndefinedStepMetricIsDefinedLocallyFirst() {
    Record acc = metricRecord(metric("acc").setStepMetric("epoch").setOptions(stepSync(true)));
    handler.handle(acc, out);
    assertEquals(2, out.records.size());
    Record auto = out.records.get(0);
    assertTrue(auto.getControl().getLocal(), "auto-defined step metrics are not persisted");
    assertEquals(MetricRecord.newBuilder().setName("epoch").build(), auto.getMetric());
    assertEquals(acc, out.records.get(1));

    out.records.clear();
    Record loss = metricRecord(metric("loss").setStepMetric("epoch"));
    handler.handle(loss, out);
    assertEquals(List.of(loss), out.records, "epoch is defined by now");
  }

  @Test
  void aGlobWithAStepMetricDefinesItBeforeTheExpansion() {
    handler.handle(metricRecord(glob("val/*").setStepMetric("epoch")), out);
    out.records.clear();
    handler.handle(Log.of("val/acc", "1").record(), out);
    assertEquals("epoch", out.records.get(0).getMetric().getName());
    assertTrue(out.records.get(0).getControl().getLocal());
    assertEquals("val/acc", out.records.get(1).getMetric().getName());
    assertTrue(out.records.get(2).hasHistory());
  }

  static Stream<Arguments> stepSyncRows() {
    return Stream.of(
        arguments(
            "the last epoch is inserted into a row without it",
            true,
            List.of(Log.of("epoch", "1"), Log.of("acc", "0.5")),
            List.of("0: epoch=1", "1: acc=0.5, epoch=1")),
        arguments(
            "a row with its own epoch is left alone",
            true,
            List.of(Log.of("epoch", "1"), Log.of("acc", "0.5", "epoch", "2")),
            List.of("0: epoch=1", "1: acc=0.5, epoch=2")),
        arguments(
            "nothing to insert before any epoch was seen",
            true,
            List.of(Log.of("acc", "0.5")),
            List.of("0: acc=0.5")),
        arguments(
            "step_sync false inserts nothing",
            false,
            List.of(Log.of("epoch", "1"), Log.of("acc", "0.5")),
            List.of("0: epoch=1", "1: acc=0.5")),
        arguments(
            "the latest epoch is the one inserted",
            true,
            List.of(Log.of("epoch", "1"), Log.of("epoch", "2", "x", "0"), Log.of("acc", "0.5")),
            List.of("0: epoch=1", "1: epoch=2, x=0", "2: acc=0.5, epoch=2")));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("stepSyncRows")
  void stepSyncInsertsTheLastStepMetricValue(
      String name, boolean sync, List<Log> rows, List<String> expected) {
    handler.handle(
        metricRecord(metric("acc").setStepMetric("epoch").setOptions(stepSync(sync))), out);
    rows.forEach(row -> handler.handle(row.record(), out));
    assertEquals(expected, out.describedRows());
  }

  @Test
  void stepSyncUsesAnEpochLoggedBeforeTheDefinition() {
    handler.handle(Log.of("epoch", "3").record(), out);
    handler.handle(
        metricRecord(metric("acc").setStepMetric("epoch").setOptions(stepSync(true))), out);
    handler.handle(Log.of("acc", "0.5").record(), out);
    assertEquals(List.of("0: epoch=3", "1: acc=0.5, epoch=3"), out.describedRows());
  }

  @Test
  void stepSyncHappensBeforeSummaryAndSampling() {
    handler.handle(
        metricRecord(metric("acc").setStepMetric("epoch").setOptions(stepSync(true))), out);
    handler.handle(Log.of("epoch", "1").record(), out);
    handler.handle(Log.of("acc", "0.5").record(), out);
    handler.handle(Log.of("other", "1").record(), out);
    assertEquals("1", handler.state().summary.valueJson("epoch"));
    assertEquals(
        List.of(1L, 1L),
        handler.state().sampler.toResponse().getItemList().stream()
            .filter(i -> i.getKey().equals("epoch"))
            .findFirst()
            .orElseThrow()
            .getValuesIntList());
  }

  @Test
  void mergeKeepsEarlierFieldsAndOverwriteDropsThem() {
    handler.handle(
        metricRecord(metric("loss").setSummary(summary("min")).setStepMetric("epoch")), out);
    handler.handle(
        metricRecord(metric("loss").setGoal(MetricRecord.MetricGoal.GOAL_MAXIMIZE)), out);
    MetricRecord merged = handler.state().metrics.named("loss");
    assertEquals("epoch", merged.getStepMetric());
    assertTrue(merged.getSummary().getMin());
    assertEquals(MetricRecord.MetricGoal.GOAL_MAXIMIZE, merged.getGoal());

    handler.handle(
        metricRecord(
            metric("loss")
                .setSummary(summary("max"))
                .setControl(MetricControl.newBuilder().setOverwrite(true))),
        out);
    MetricRecord replaced = handler.state().metrics.named("loss");
    assertEquals("", replaced.getStepMetric());
    assertFalse(replaced.getSummary().getMin());
    assertTrue(replaced.getSummary().getMax());
  }

  @Test
  void definitionsAreForwardedUnchanged() {
    Record withOverwrite =
        metricRecord(metric("loss").setControl(MetricControl.newBuilder().setOverwrite(true)));
    handler.handle(withOverwrite, out);
    assertEquals(List.of(withOverwrite), out.records);
  }

  @Test
  void hiddenIsOnlyCarried() {
    handler.handle(
        metricRecord(metric("secret").setOptions(MetricOptions.newBuilder().setHidden(true))), out);
    handler.handle(Log.of("secret", "1").record(), out);
    assertTrue(handler.state().metrics.named("secret").getOptions().getHidden());
    assertEquals(List.of("0: secret=1"), out.describedRows());
    assertEquals("1", handler.state().summary.valueJson("secret"));
  }
}
