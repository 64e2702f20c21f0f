package dev.runbus.system;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.management.ManagementFactory;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** One real sample of this machine and JVM: W&B's keys, the JVM's, plausible values. */
class SystemSamplerTest {

  @Test
  void aSampleHasWandbsKeysAndTheJvmsWithPlausibleValues() throws Exception {
    SystemSampler sampler = new SystemSampler(null);
    burnCpu(300);
    Map<String, Double> s = sampler.sample();

    for (String key :
        new String[] {
          "cpu", "memory", "proc.memory.rssMB", "proc.memory.availableMB", "proc.memory.percent",
          "proc.cpu.threads", "disk", "network.sent", "network.recv", "jvm.heap.usedMB",
          "jvm.heap.committedMB", "jvm.heap.maxMB", "jvm.nonheap.usedMB", "jvm.threads",
          "jvm.classes.loaded", "jvm.alloc.bytesPerSec"
        }) {
      assertTrue(s.containsKey(key), key + " missing from " + s);
    }
    int cores = Runtime.getRuntime().availableProcessors();
    for (int i = 0; i < cores; i++) {
      double core = s.get(StatsKeys.corePercent(i));
      assertTrue(core >= 0 && core <= 100, "core " + i + ": " + core);
    }
    assertTrue(s.get("cpu") > 0 && s.get("cpu") <= 100, "this test burnt CPU: " + s.get("cpu"));
    assertTrue(s.get("memory") > 0 && s.get("memory") <= 100, s.toString());
    assertTrue(s.get("disk") > 0 && s.get("disk") <= 100, s.toString());
    assertTrue(s.get("proc.memory.rssMB") > 10, s.toString());
    assertTrue(s.get("proc.cpu.threads") >= s.get("jvm.threads"), "OS threads include the JVM's");
    assertTrue(s.get("jvm.heap.usedMB") <= s.get("jvm.heap.maxMB"), s.toString());
    assertTrue(s.get("jvm.alloc.bytesPerSec") > 0, "the CPU burn allocated: " + s);
    for (var gc : ManagementFactory.getGarbageCollectorMXBeans()) {
      assertTrue(s.containsKey(StatsKeys.gcCount(gc.getName())), gc.getName() + ": " + s);
      assertTrue(s.containsKey(StatsKeys.gcTime(gc.getName())), gc.getName() + ": " + s);
    }
    assertTrue(sampler.peaks().heapUsedBytes() > 0);
    assertEquals(s.get("cpu"), sampler.peaks().cpuPercent());
  }

  /** Busy on this thread for about {@code millis}, allocating as it goes. */
  private static void burnCpu(long millis) {
    long end = System.nanoTime() + millis * 1_000_000;
    long sink = 0;
    while (System.nanoTime() < end) {
      sink += new StringBuilder().append(sink).toString().length();
    }
    assertTrue(sink != 42);
  }
}
