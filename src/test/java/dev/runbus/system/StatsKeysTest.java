package dev.runbus.system;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/** Key names: W&B's, a collector's name as one segment, a rank's label suffix. */
class StatsKeysTest {

  @Test
  void wandbKeysWithoutTheSystemPrefix() {
    assertEquals("cpu.3.cpu_percent", StatsKeys.corePercent(3));
    assertEquals("gpu.1.memoryAllocated", StatsKeys.gpu(1, "memoryAllocated"));
    assertEquals("proc.memory.rssMB", StatsKeys.PROC_RSS_MB);
  }

  @Test
  void collectorNamesBecomeOneKeySegment() {
    assertEquals("jvm.gc.G1_Young_Generation.count", StatsKeys.gcCount("G1 Young Generation"));
    assertEquals("jvm.gc.PS_MarkSweep.timeMs", StatsKeys.gcTime("PS MarkSweep"));
    assertEquals("jvm.gc.ZGC_Cycles.count", StatsKeys.gcCount("ZGC Cycles"));
    assertEquals("a_b_c-d_e", StatsKeys.sanitize("a.b/c-d_e"));
    assertEquals("_", StatsKeys.sanitize(""));
  }

  @Test
  void aRanksKeysCarryWandbsLabelSuffix() {
    assertEquals("cpu/l:rank1", StatsKeys.labelled("cpu", "rank1"));
    assertEquals("jvm.heap.usedMB/l:rank0", StatsKeys.labelled("jvm.heap.usedMB", "rank0"));
  }
}
