package dev.runbus.system;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * {@link OsSampler}'s metrics on Linux, read from {@code /proc} and the JVM's own bean: the same
 * W&B keys and meaning, without OSHI. OSHI's first use in a JVM costs 150–220 ms of CPU (its
 * native access and platform probes), which on a short run is several percent of the whole; these
 * files cost a few milliseconds a sample. Other systems keep OSHI.
 */
final class ProcOsSampler implements OsMetrics {

  private static final Path STAT = Path.of("/proc/stat");
  private static final Path STATUS = Path.of("/proc/self/status");
  private static final Path MEMINFO = Path.of("/proc/meminfo");
  private static final Path NET = Path.of("/proc/net/dev");
  private static final double MB = 1024 * 1024;

  private final com.sun.management.OperatingSystemMXBean bean;
  private final int cores;
  private final Path disk;
  private long[][] coreTicks;
  private long processCpuNanos;
  private long sampledAt;
  private final long sentAtStart;
  private final long receivedAtStart;

  /** Whether this system has the files (Linux), and the JVM the bean, it reads. */
  static boolean available() {
    return Files.isReadable(STAT)
        && Files.isReadable(STATUS)
        && Files.isReadable(MEMINFO)
        && ManagementFactory.getOperatingSystemMXBean()
            instanceof com.sun.management.OperatingSystemMXBean;
  }

  ProcOsSampler() throws IOException {
    bean = (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
    coreTicks = coreTicks(Files.readAllLines(STAT));
    cores = Math.max(1, coreTicks.length);
    disk = Path.of("").toAbsolutePath().getRoot();
    processCpuNanos = bean.getProcessCpuTime();
    sampledAt = System.nanoTime();
    long[] bytes = networkBytes(readOrEmpty(NET));
    sentAtStart = bytes[0];
    receivedAtStart = bytes[1];
  }

  @Override
  public void sample(Map<String, Double> out) {
    try {
      long now = System.nanoTime();
      long cpuNanos = bean.getProcessCpuTime();
      if (now > sampledAt && cpuNanos >= 0) {
        double percent = (double) (cpuNanos - processCpuNanos) / (now - sampledAt) / cores * 100;
        out.put(StatsKeys.CPU, Math.max(0, Math.min(100, percent)));
      }
      processCpuNanos = cpuNanos;
      sampledAt = now;

      long[][] ticks = coreTicks(Files.readAllLines(STAT));
      double[] load = coreLoad(coreTicks, ticks);
      coreTicks = ticks;
      for (int i = 0; i < load.length; i++) {
        out.put(StatsKeys.corePercent(i), load[i]);
      }

      List<String> status = Files.readAllLines(STATUS);
      long threads = field(status, "Threads:");
      if (threads >= 0) {
        out.put(StatsKeys.PROC_THREADS, (double) threads);
      }
      long rss = field(status, "VmRSS:") * 1024;
      List<String> meminfo = Files.readAllLines(MEMINFO);
      long total = field(meminfo, "MemTotal:") * 1024;
      long available = field(meminfo, "MemAvailable:") * 1024;
      if (rss >= 0) {
        out.put(StatsKeys.PROC_RSS_MB, rss / MB);
      }
      if (available >= 0) {
        out.put(StatsKeys.PROC_AVAILABLE_MB, available / MB);
      }
      if (total > 0 && rss >= 0 && available >= 0) {
        out.put(StatsKeys.PROC_MEMORY_PERCENT, rss * 100.0 / total);
        out.put(StatsKeys.MEMORY, (total - available) * 100.0 / total);
      }

      double diskPercent = OsSampler.diskUsedPercent(disk);
      if (diskPercent >= 0) {
        out.put(StatsKeys.DISK, diskPercent);
      }

      long[] bytes = networkBytes(readOrEmpty(NET));
      out.put(StatsKeys.NETWORK_SENT, (double) Math.max(0, bytes[0] - sentAtStart));
      out.put(StatsKeys.NETWORK_RECV, (double) Math.max(0, bytes[1] - receivedAtStart));
    } catch (IOException e) {
      throw new IllegalStateException("cannot read /proc: " + e.getMessage(), e);
    }
  }

  /**
   * Each core's ticks from {@code /proc/stat}'s {@code cpuN} lines: [busy, total] where idle and
   * iowait are the idle part, as psutil counts a core's percent.
   */
  static long[][] coreTicks(List<String> stat) {
    List<long[]> cores = new ArrayList<>();
    for (String line : stat) {
      if (line.length() > 3 && line.startsWith("cpu") && Character.isDigit(line.charAt(3))) {
        String[] f = line.trim().split("\\s+");
        long total = 0;
        for (int i = 1; i < Math.min(f.length, 9); i++) { // user … steal; guest is inside user
          total += Long.parseLong(f[i]);
        }
        long idle = Long.parseLong(f[4]) + (f.length > 5 ? Long.parseLong(f[5]) : 0);
        cores.add(new long[] {total - idle, total});
      }
    }
    return cores.toArray(new long[0][]);
  }

  /** Each core's busy percent between two readings (0 for a core that did not tick). */
  static double[] coreLoad(long[][] before, long[][] after) {
    double[] load = new double[Math.min(before.length, after.length)];
    for (int i = 0; i < load.length; i++) {
      long total = after[i][1] - before[i][1];
      long busy = after[i][0] - before[i][0];
      load[i] = total > 0 ? Math.max(0, Math.min(100, busy * 100.0 / total)) : 0;
    }
    return load;
  }

  /** The number after {@code name} in a {@code /proc} "Name: value [kB]" file; -1 when absent. */
  static long field(List<String> lines, String name) {
    for (String line : lines) {
      if (line.startsWith(name)) {
        String[] f = line.substring(name.length()).trim().split("\\s+");
        return Long.parseLong(f[0]);
      }
    }
    return -1;
  }

  /** Bytes sent and received by every interface, loopback included, from {@code /proc/net/dev}. */
  static long[] networkBytes(List<String> netDev) {
    long sent = 0;
    long received = 0;
    for (String line : netDev) {
      int colon = line.indexOf(':');
      if (colon < 0) {
        continue; // the two header lines
      }
      String[] f = line.substring(colon + 1).trim().split("\\s+");
      if (f.length >= 9) {
        received += Long.parseLong(f[0]);
        sent += Long.parseLong(f[8]);
      }
    }
    return new long[] {sent, received};
  }

  private static List<String> readOrEmpty(Path file) {
    try {
      return Files.readAllLines(file);
    } catch (IOException e) {
      return List.of(); // no network figures in a sandbox without /proc/net
    }
  }
}
