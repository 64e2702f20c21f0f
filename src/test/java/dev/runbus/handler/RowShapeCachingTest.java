package dev.runbus.handler;

import static dev.runbus.handler.Fixtures.Log;
import static dev.runbus.handler.Fixtures.glob;
import static dev.runbus.handler.Fixtures.metric;
import static dev.runbus.handler.Fixtures.metricRecord;
import static dev.runbus.handler.Fixtures.summary;
import static dev.runbus.handler.Fixtures.summaryRemove;
import static dev.runbus.handler.Fixtures.summaryUpdate;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.runbus.handler.Fixtures.RecordingSink;
import dev.runbus.proto.SampledHistoryItem;
import dev.runbus.proto.SummaryItem;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The per-position caches (sampler slots, deferred summary writes, reused metric lookups) must not
 * change any result: checked against plain models on seeded random runs whose rows change keys and
 * order, and on the transitions the caches must notice.
 */
class RowShapeCachingTest {
  private static final List<String> KEYS = List.of("a", "b", "c", "d");

  static Stream<Integer> seeds() {
    return IntStream.rangeClosed(1, 25).boxed();
  }

  @ParameterizedTest(name = "seed {0}")
  @MethodSource("seeds")
  void randomRunsMatchTheModels(int seed) {
    Random random = new Random(seed);
    RunHandler handler = RunHandler.create(1000, 0);
    RecordingSink out = new RecordingSink();
    Map<String, String> summaryModel = new LinkedHashMap<>();
    Map<String, List<Double>> numbersModel = new LinkedHashMap<>();
    List<String> shape = randomShape(random);
    for (int op = 0; op < 600; op++) {
      int dice = random.nextInt(100);
      if (dice < 8) {
        shape = randomShape(random);
      } else if (dice < 11) {
        String key = KEYS.get(random.nextInt(KEYS.size()));
        handler.handle(summaryUpdate("\"set\"", key), out);
        summaryModel.put(key, "\"set\"");
      } else if (dice < 13) {
        String key = KEYS.get(random.nextInt(KEYS.size()));
        handler.handle(summaryRemove(key), out);
        summaryModel.remove(key);
      } else if (dice < 16) {
        assertEquals(summaryModel, summaryOf(handler), "summary after op " + op);
      } else {
        List<String> keysAndJson = new ArrayList<>();
        for (String key : shape) {
          String json = randomValue(random);
          keysAndJson.add(key);
          keysAndJson.add(json);
          summaryModel.put(key, json);
          if (JsonScalars.looksNumberOrBoolean(json)) {
            numbersModel.computeIfAbsent(key, k -> new ArrayList<>()).add(Double.parseDouble(json));
          }
        }
        long step = handler.stats().historyRows();
        handler.handle(Log.of(keysAndJson.toArray(String[]::new)).record(), out);
        summaryModel.put("_step", Long.toString(step));
        numbersModel.computeIfAbsent("_step", k -> new ArrayList<>()).add((double) step);
      }
    }
    assertEquals(summaryModel, summaryOf(handler));
    Map<String, List<Double>> sampled = new LinkedHashMap<>();
    for (SampledHistoryItem item : handler.state().sampler.toResponse().getItemList()) {
      List<Double> values = new ArrayList<>();
      item.getValuesIntList().forEach(v -> values.add(v.doubleValue()));
      item.getValuesFloatList().forEach(v -> values.add(v.doubleValue()));
      sampled.put(item.getKey(), values);
    }
    Map<String, List<Double>> expected = new LinkedHashMap<>();
    numbersModel.forEach((key, values) -> expected.put(key, decimated(values)));
    assertEquals(expected.keySet(), sampled.keySet());
    expected.forEach((key, values) -> assertEquals(values, sampled.get(key), key));
  }

  /**
   * The sampler's contract: the last value of every s, s the least power of two keeping fewer than
   * 2k.
   */
  private static List<Double> decimated(List<Double> values) {
    int stride = 1;
    while (values.size() / stride >= 2 * HistorySampler.SAMPLES_PER_KEY) {
      stride *= 2;
    }
    List<Double> kept = new ArrayList<>();
    for (int i = stride - 1; i < values.size(); i += stride) {
      kept.add((double) (float) (double) values.get(i)); // values_float is 32-bit
    }
    return kept;
  }

  private static Map<String, String> summaryOf(RunHandler handler) {
    Map<String, String> summary = new LinkedHashMap<>();
    for (SummaryItem item : handler.state().summary.fullSummary().getUpdateList()) {
      summary.put(item.getKey(), item.getValueJson());
    }
    return summary;
  }

  private static List<String> randomShape(Random random) {
    List<String> keys = new ArrayList<>(KEYS);
    Collections.shuffle(keys, random);
    return keys.subList(0, 1 + random.nextInt(keys.size()));
  }

  private static String randomValue(Random random) {
    return switch (random.nextInt(10)) {
      case 0 -> "\"text\"";
      case 1 -> "0.5";
      default -> Integer.toString(random.nextInt(100));
    };
  }

  @Test
  void aDefinitionMidRunAppliesFromTheNextRow() {
    RunHandler handler = RunHandler.create(1000, 0);
    RecordingSink out = new RecordingSink();
    handler.handle(Log.of("a", "1", "loss", "5").record(), out);
    handler.handle(Log.of("a", "2", "loss", "4").record(), out); // same keys: deferred
    handler.handle(metricRecord(metric("loss").setSummary(summary("min"))), out);
    assertEquals("4", handler.state().summary.valueJson("loss"));
    handler.handle(Log.of("a", "3", "loss", "6").record(), out);
    handler.handle(Log.of("a", "4", "loss", "7").record(), out);
    assertEquals("{\"min\":6}", handler.state().summary.valueJson("loss"));
    assertEquals("4", handler.state().summary.valueJson("a"));
  }

  @Test
  void aDeferredScalarStillReplacesAnObjectBeforeTheNextObjectIsWalked() {
    RunHandler handler = RunHandler.create(1000, 0);
    RecordingSink out = new RecordingSink();
    handler.handle(metricRecord(metric("o.x").setSummary(summary("max"))), out);
    handler.handle(Log.of("o", "{\"x\": 1, \"y\": 2}").record(), out);
    handler.handle(Log.of("o", "3").record(), out); // same keys, plain: deferred
    handler.handle(Log.of("o", "{\"x\": 5}").record(), out);
    assertEquals("{\"x\":{\"max\":5}}", handler.state().summary.valueJson("o"));
  }

  @Test
  void aGlobDefinedMidRunExpandsOnTheNextRow() {
    RunHandler handler = RunHandler.create(1000, 0);
    RecordingSink out = new RecordingSink();
    handler.handle(metricRecord(metric("other")), out);
    handler.handle(Log.of("train/loss", "3").record(), out);
    handler.handle(Log.of("train/loss", "2").record(), out);
    handler.handle(metricRecord(glob("train/*").setSummary(summary("max"))), out);
    handler.handle(Log.of("train/loss", "1").record(), out);
    handler.handle(Log.of("train/loss", "0").record(), out);
    assertEquals("{\"max\":1}", handler.state().summary.valueJson("train/loss"));
    assertEquals(
        1,
        out.records.stream()
            .filter(r -> r.hasMetric() && r.getMetric().getExpandedFromGlob())
            .count());
  }

  @Test
  void eachRowGetsItsOwnRuntime() {
    RunHandler handler = RunHandler.create(1000, 0);
    RecordingSink out = new RecordingSink();
    handler.handle(Log.of("x", "1", "_timestamp", "1001.5").record(), out);
    handler.handle(Log.of("x", "2", "_timestamp", "1003.0").record(), out);
    handler.handle(Log.of("_timestamp", "1004.0", "x", "3").record(), out);
    assertEquals(
        List.of(
            "0: x=1, _timestamp=1001.5, _runtime=1.5",
            "1: x=2, _timestamp=1003.0, _runtime=3.0",
            "2: _timestamp=1004.0, x=3, _runtime=4.0"),
        out.describedRows());
  }

  @Test
  void samplerSlotsFollowKeysNotPositions() {
    HistorySampler sampler = new HistorySampler(HistorySampler.DEFAULT_MAX_KEYS);
    sampler.add(Fixtures.items("a", "1", "b", "10"));
    sampler.add(Fixtures.items("a", "2", "c", "20"));
    sampler.add(Fixtures.items("a", "3", "b", "11"));
    sampler.add(Fixtures.items("b", "12", "a", "4"));
    Map<String, List<Long>> sampled = new LinkedHashMap<>();
    sampler.toResponse().getItemList().forEach(i -> sampled.put(i.getKey(), i.getValuesIntList()));
    assertEquals(
        Map.of("a", List.of(1L, 2L, 3L, 4L), "b", List.of(10L, 11L, 12L), "c", List.of(20L)),
        sampled);
  }

  @Test
  void aStringInASampledPositionLaterBecomingANumberIsSampled() {
    HistorySampler sampler = new HistorySampler(HistorySampler.DEFAULT_MAX_KEYS);
    sampler.add(Fixtures.items("a", "\"x\""));
    sampler.add(Fixtures.items("a", "5"));
    assertEquals(List.of(5L), sampler.toResponse().getItem(0).getValuesIntList());
  }
}
