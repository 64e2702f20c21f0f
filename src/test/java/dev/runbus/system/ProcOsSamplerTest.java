package dev.runbus.system;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Linux's /proc read as psutil (and so W&B) reads it, from recorded lines and from this machine. */
class ProcOsSamplerTest {

  @Test
  void aCoresPercentIsItsBusyTicksOverAllWithIowaitCountedIdle() {
    List<String> before =
        List.of(
            "cpu  200 0 100 1000 100 0 0 0 0 0",
            "cpu0 100 0 50 500 50 0 0 0 0 0",
            "cpu1 100 0 50 500 50 0 0 0 0 0",
            "intr 12345");
    List<String> after =
        List.of(
            "cpu  380 0 120 1200 100 0 0 0 0 0",
            "cpu0 250 0 50 650 50 0 0 0 10 0", // 150 busy of 300: guest (10) is inside user
            "cpu1 130 0 70 700 100 0 0 0 0 0"); // 50 busy of 300: iowait is idle
    long[][] first = ProcOsSampler.coreTicks(before);
    assertEquals(2, first.length, "cpu0 and cpu1, not the all-cores line");
    assertArrayEquals(new double[] {50.0, 50 * 100.0 / 300}, ProcOsSampler.coreLoad(first, ProcOsSampler.coreTicks(after)), 1e-9);
  }

  @Test
  void statusAndMeminfoFieldsAreReadWithoutTheirUnits() {
    List<String> status = List.of("Name:\tjava", "VmRSS:\t  123456 kB", "Threads:\t42");
    assertEquals(123456, ProcOsSampler.field(status, "VmRSS:"));
    assertEquals(42, ProcOsSampler.field(status, "Threads:"));
    assertEquals(-1, ProcOsSampler.field(status, "VmSwap:"));
  }

  @Test
  void networkBytesAddUpEveryInterfaceLoopbackIncluded() {
    List<String> netDev =
        List.of(
            "Inter-|   Receive                                                |  Transmit",
            " face |bytes    packets errs drop fifo frame compressed multicast|bytes    packets errs drop fifo colls carrier compressed",
            "    lo:  1000      10    0    0    0     0          0         0     1000      10    0    0    0     0       0          0",
            "  eth0: 5000      50    0    0    0     0          0         0      700       7    0    0    0     0       0          0");
    assertArrayEquals(new long[] {1700, 6000}, ProcOsSampler.networkBytes(netDev));
  }

  @Test
  void thisMachinesSampleHasWandbsKeysWithPlausibleValues() throws Exception {
    assumeTrue(ProcOsSampler.available(), "not Linux: OSHI's sampler serves this system");
    ProcOsSampler sampler = new ProcOsSampler();
    long until = System.nanoTime() + 200_000_000L;
    while (System.nanoTime() < until) {
      Math.sqrt(System.nanoTime()); // some CPU to measure
    }
    Map<String, Double> out = new LinkedHashMap<>();
    sampler.sample(out);
    for (String key :
        List.of(
            StatsKeys.CPU, StatsKeys.corePercent(0), StatsKeys.PROC_THREADS, StatsKeys.PROC_RSS_MB,
            StatsKeys.PROC_AVAILABLE_MB, StatsKeys.PROC_MEMORY_PERCENT, StatsKeys.MEMORY,
            StatsKeys.DISK, StatsKeys.NETWORK_SENT, StatsKeys.NETWORK_RECV)) {
      assertTrue(out.containsKey(key), key + " missing from " + out);
    }
    assertTrue(out.get(StatsKeys.CPU) > 0 && out.get(StatsKeys.CPU) <= 100, "cpu " + out.get(StatsKeys.CPU));
    assertTrue(out.get(StatsKeys.PROC_THREADS) >= Thread.activeCount(), "threads " + out);
    double virtualMb =
        ((com.sun.management.OperatingSystemMXBean) java.lang.management.ManagementFactory.getOperatingSystemMXBean())
                .getCommittedVirtualMemorySize()
            / 1048576.0;
    double rss = out.get(StatsKeys.PROC_RSS_MB);
    assertTrue(rss > 10 && rss < virtualMb, "rss " + rss + " MB of " + virtualMb + " MB mapped");
    assertTrue(out.get(StatsKeys.MEMORY) > 0 && out.get(StatsKeys.MEMORY) < 100, "memory " + out);
  }
}
