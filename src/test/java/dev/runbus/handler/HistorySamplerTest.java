package dev.runbus.handler;

import static dev.runbus.handler.Fixtures.item;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.params.provider.Arguments.arguments;

import dev.runbus.proto.SampledHistoryItem;
import dev.runbus.proto.SampledHistoryResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.function.IntFunction;
import java.util.stream.LongStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** §2.6: the decimating sampler keeps between k and 2k evenly spaced values per key. */
class HistorySamplerTest {
  private final HistorySampler sampler = new HistorySampler(HistorySampler.DEFAULT_MAX_KEYS);

  private void logValues(String key, int n, IntFunction<String> json) {
    for (int i = 0; i < n; i++) {
      sampler.add(List.of(item(key, json.apply(i))));
    }
  }

  private SampledHistoryItem only() {
    SampledHistoryResponse response = sampler.toResponse();
    assertEquals(1, response.getItemCount());
    return response.getItem(0);
  }

  static Stream<Arguments> sizes() {
    // n, expected kept count, expected stride between kept indices; the §2.6 test vectors are
    // n=100 (all), 128 (1,3,…,127), 1000 (7,15,…,999) and 10000 (78 values 127,255,…,9983)
    return Stream.of(
        arguments(1, 1, 1),
        arguments(10, 10, 1),
        arguments(100, 100, 1),
        arguments(127, 127, 1),
        arguments(128, 64, 2),
        arguments(129, 64, 2),
        arguments(130, 65, 2),
        arguments(1000, 125, 8),
        arguments(10000, 78, 128));
  }

  @ParameterizedTest(name = "n={0} keeps {1} values, the last of every {2}")
  @MethodSource("sizes")
  void keepsEvenlySpacedValuesInOrder(int n, int kept, int stride) {
    logValues("x", n, Integer::toString);
    List<Long> values = only().getValuesIntList();
    List<Long> expected =
        LongStream.range(0, kept).map(i -> (i + 1) * stride - 1).boxed().toList();
    assertEquals(expected, values);
    if (n >= 2 * HistorySampler.SAMPLES_PER_KEY) {
      assertTrue(values.size() >= HistorySampler.SAMPLES_PER_KEY);
    }
    assertTrue(values.size() < 2 * HistorySampler.SAMPLES_PER_KEY);
  }

  @Test
  void onlyKeptValuesAreParsed() {
    logValues("x", 1000, Integer::toString);
    // 128 at stride 1, then 64 at strides 2 and 4, then indices 519..999 at stride 8
    assertEquals(128 + 64 + 64 + 61, sampler.parsedValues);
  }

  static Stream<Arguments> valueKinds() {
    return Stream.of(
        arguments("ints", List.of("1", "-2", "3"), List.of(1L, -2L, 3L), List.of()),
        arguments("booleans", List.of("true", "false", "true"), List.of(1L, 0L, 1L), List.of()),
        arguments("floats", List.of("0.5", "1.5"), List.of(), List.of(0.5f, 1.5f)),
        arguments("an integral float is a float", List.of("1", "2.0"), List.of(), List.of(1f, 2f)),
        arguments("an exponent is a float", List.of("1", "1e3"), List.of(), List.of(1f, 1000f)),
        arguments(
            "non-finite tokens",
            List.of("NaN", "Infinity", "-Infinity"),
            List.of(),
            List.of(Float.NaN, Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY)),
        arguments(
            "non-numbers are skipped",
            List.of("1", "\"s\"", "null", "{\"a\": 1}", "[1]", "2"),
            List.of(1L, 2L),
            List.of()),
        arguments(
            "an integer beyond int64 is a float",
            List.of("1", "100000000000000000000"),
            List.of(),
            List.of(1f, 1e20f)));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("valueKinds")
  void valuesIntOnlyWhenEveryKeptValueIsAnIntegerToken(
      String name, List<String> values, List<Long> ints, List<Float> floats) {
    values.forEach(v -> sampler.add(List.of(item("x", v))));
    SampledHistoryItem sampled = only();
    assertEquals(ints, sampled.getValuesIntList());
    assertEquals(floats, sampled.getValuesFloatList());
  }

  @Test
  void aFloatDroppedByDecimationNoLongerForcesFloats() {
    // index 0 is a float; after the first halving only odd indices remain
    logValues("x", 128, i -> i == 0 ? "1.5" : Integer.toString(i));
    assertEquals(64, only().getValuesIntCount());
  }

  @Test
  void stringKeysOnlyAreNotSampledAndUnderscoreKeysAre() {
    sampler.add(List.of(item("name", "\"a\""), item("_step", "0"), item("loss", "0.1")));
    assertEquals(
        List.of("_step", "loss"),
        sampler.toResponse().getItemList().stream().map(SampledHistoryItem::getKey).toList());
  }

  @Test
  void keysBeyondTheLimitAreNotSampled() {
    HistorySampler small = new HistorySampler(2);
    List<dev.runbus.proto.HistoryItem> row = new ArrayList<>();
    for (String key : List.of("a", "b", "c", "d")) {
      row.add(item(key, "1"));
    }
    small.add(row);
    small.add(row);
    assertEquals(
        List.of("a", "b"),
        small.toResponse().getItemList().stream().map(SampledHistoryItem::getKey).toList());
  }
}
