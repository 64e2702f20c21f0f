package dev.runbus.ranks;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.runbus.proto.RankIdentity;
import dev.runbus.proto.Record;
import dev.runbus.proto.StatsItem;
import dev.runbus.system.StatsRecords;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/**
 * Ranks' system metrics stay apart: through the coordinator, each rank's stats keys carry W&B's
 * label suffix when the world has several ranks (even with label_keys off), and none with one.
 */
class RankStatsTest {

  private final AtomicLong clock = new AtomicLong(1_000_000);

  private static RankIdentity rank(int rank, int world) {
    return RankIdentity.newBuilder().setRank(rank).setWorldSize(world).build();
  }

  private static Record stats(double cpu) {
    Map<String, Double> values = new LinkedHashMap<>();
    values.put("cpu", cpu);
    values.put("jvm.heap.usedMB", 100.0);
    return StatsRecords.of(values, 1_700_000_000_000L);
  }

  private static List<String> statsKeys(List<Record> out) {
    List<String> keys = new ArrayList<>();
    for (Record r : out) {
      for (StatsItem item : r.getStats().getItemList()) {
        keys.add(item.getKey() + "=" + item.getValueJson());
      }
    }
    return keys;
  }

  @Test
  void eachRanksStatsAreLabelledInASeveralRankRun() {
    RunCoordinator coordinator = new RunCoordinator("r1", 0, 2, 16, clock::get);
    RankSession zero = coordinator.attach(rank(0, 2), false);
    RankSession one = coordinator.attach(rank(1, 2), false);
    List<Record> out = new ArrayList<>();
    coordinator.take(zero, stats(10), out);
    coordinator.afterBatch(zero, out);
    coordinator.take(one, stats(90), out);
    coordinator.afterBatch(one, out);
    assertEquals(
        List.of(
            "cpu/l:rank0=10.0", "jvm.heap.usedMB/l:rank0=100.0",
            "cpu/l:rank1=90.0", "jvm.heap.usedMB/l:rank1=100.0"),
        statsKeys(out));
  }

  @Test
  void aOneRankRunKeepsWandbsPlainKeys() {
    RunCoordinator coordinator = new RunCoordinator("r1", 0, 1, 16, clock::get);
    RankSession only = coordinator.attach(rank(0, 1), false);
    List<Record> out = new ArrayList<>();
    coordinator.take(only, stats(10), out);
    coordinator.afterBatch(only, out);
    assertEquals(List.of("cpu=10.0", "jvm.heap.usedMB=100.0"), statsKeys(out));
  }
}
