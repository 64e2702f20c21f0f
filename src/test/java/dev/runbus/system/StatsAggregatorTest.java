package dev.runbus.system;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** W&B's aggregation rules (wire reference §7.2) over one interval's samples. */
class StatsAggregatorTest {

  private static Map<String, Double> sample(Object... keysAndValues) {
    Map<String, Double> m = new LinkedHashMap<>();
    for (int i = 0; i < keysAndValues.length; i += 2) {
      m.put((String) keysAndValues[i], ((Number) keysAndValues[i + 1]).doubleValue());
    }
    return m;
  }

  @Test
  void mostKeysAreTheMeanThreadCountsAndRunningTotalsTheLast() {
    StatsAggregator a = new StatsAggregator();
    String gcCount = StatsKeys.gcCount("G1 Young Generation");
    a.add(sample("cpu", 10, "proc.cpu.threads", 20, "jvm.threads", 30, gcCount, 1, "network.sent", 100));
    a.add(sample("cpu", 20, "proc.cpu.threads", 22, "jvm.threads", 31, gcCount, 4, "network.sent", 300));
    a.add(sample("cpu", 60, "proc.cpu.threads", 21, "jvm.threads", 29, gcCount, 5, "network.sent", 500));

    Map<String, Double> out = a.drain();
    assertEquals(30.0, out.get("cpu"));
    assertEquals(21.0, out.get("proc.cpu.threads"), "thread count: the last sample, as W&B");
    assertEquals(29.0, out.get("jvm.threads"));
    assertEquals(5.0, out.get(gcCount), "a running total: the last sample");
    assertEquals(300.0, out.get("network.sent"), "W&B averages the network's bytes since start");
    assertEquals(List.of("cpu", "proc.cpu.threads", "jvm.threads", gcCount, "network.sent"),
        List.copyOf(out.keySet()), "keys in the order they first came");
    assertTrue(a.isEmpty(), "the next interval starts empty");
  }

  @Test
  void valuesAreRoundedToTwoDecimalsAndBadReadingsIgnored() {
    StatsAggregator a = new StatsAggregator();
    a.add(sample("cpu", 1.0 / 3, "memory", 12.345678));
    a.add(sample("cpu", Double.NaN, "memory", Double.POSITIVE_INFINITY, "disk", 7.6));
    Map<String, Double> out = a.drain();
    assertEquals(0.33, out.get("cpu"), "the NaN sample is not counted");
    assertEquals(12.35, out.get("memory"));
    assertEquals(7.6, out.get("disk"), "a key only some samples have: their mean");
  }

  @Test
  void anEmptyIntervalDrainsNothing() {
    StatsAggregator a = new StatsAggregator();
    assertTrue(a.isEmpty());
    assertEquals(Map.of(), a.drain());
  }
}
