package dev.runbus.system;

import java.io.IOException;
import java.nio.file.FileStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import oshi.SystemInfo;
import oshi.hardware.CentralProcessor;
import oshi.hardware.GlobalMemory;
import oshi.hardware.NetworkIF;
import oshi.software.os.OSProcess;

/**
 * The machine's and this process's metrics under W&B's names, read through OSHI: the process's
 * CPU (percent of all cores, as W&B divides psutil's figure by the core count) and each core's,
 * the process's resident memory and threads, the machine's memory, the disk holding {@code /},
 * and the bytes every network interface sent and received since this sampler started. Rates are
 * measured between two samples, so the constructor takes the baseline.
 */
final class OsSampler implements OsMetrics {

  private static final double MB = 1024 * 1024;

  private final CentralProcessor processor;
  private final GlobalMemory memory;
  private final OSProcess process;
  private final List<NetworkIF> interfaces;
  private final Path disk;
  private final int cores;
  private long[][] coreTicks;
  private long processCpuMillis;
  private long sampledAt;
  private final long sentAtStart;
  private final long receivedAtStart;

  OsSampler(SystemInfo system) {
    processor = system.getHardware().getProcessor();
    memory = system.getHardware().getMemory();
    process = system.getOperatingSystem().getCurrentProcess();
    // every interface, loopback included, as W&B's psutil.net_io_counters() counts them
    interfaces = system.getHardware().getNetworkIFs(true);
    disk = rootOf(Path.of("").toAbsolutePath());
    cores = Math.max(1, processor.getLogicalProcessorCount());
    coreTicks = processor.getProcessorCpuLoadTicks();
    processCpuMillis = process.getKernelTime() + process.getUserTime();
    sampledAt = System.nanoTime();
    long[] bytes = networkBytes();
    sentAtStart = bytes[0];
    receivedAtStart = bytes[1];
  }

  @Override
  public void sample(Map<String, Double> out) {
    long now = System.nanoTime();
    process.updateAttributes();
    long cpuMillis = process.getKernelTime() + process.getUserTime();
    double wallMillis = (now - sampledAt) / 1e6;
    if (wallMillis > 0) {
      double percent = (cpuMillis - processCpuMillis) / wallMillis / cores * 100;
      out.put(StatsKeys.CPU, Math.max(0, Math.min(100, percent)));
    }
    processCpuMillis = cpuMillis;
    sampledAt = now;

    double[] load = processor.getProcessorCpuLoadBetweenTicks(coreTicks);
    coreTicks = processor.getProcessorCpuLoadTicks();
    for (int i = 0; i < load.length; i++) {
      out.put(StatsKeys.corePercent(i), Math.max(0, Math.min(100, load[i] * 100)));
    }
    out.put(StatsKeys.PROC_THREADS, (double) process.getThreadCount());

    long total = memory.getTotal();
    long available = memory.getAvailable();
    long rss = process.getResidentSetSize();
    out.put(StatsKeys.PROC_RSS_MB, rss / MB);
    out.put(StatsKeys.PROC_AVAILABLE_MB, available / MB);
    if (total > 0) {
      out.put(StatsKeys.PROC_MEMORY_PERCENT, rss * 100.0 / total);
      out.put(StatsKeys.MEMORY, (total - available) * 100.0 / total);
    }

    double diskPercent = diskUsedPercent(disk);
    if (diskPercent >= 0) {
      out.put(StatsKeys.DISK, diskPercent);
    }

    long[] bytes = networkBytes();
    out.put(StatsKeys.NETWORK_SENT, (double) Math.max(0, bytes[0] - sentAtStart));
    out.put(StatsKeys.NETWORK_RECV, (double) Math.max(0, bytes[1] - receivedAtStart));
  }

  /** Logical cores, which the process's CPU percent is divided by. */
  int cores() {
    return cores;
  }

  /** Bytes sent and received by every interface, as the OS counts them. */
  private long[] networkBytes() {
    long sent = 0;
    long received = 0;
    for (NetworkIF net : interfaces) {
      net.updateAttributes();
      sent += net.getBytesSent();
      received += net.getBytesRecv();
    }
    return new long[] {sent, received};
  }

  /**
   * Percent of the disk in use as psutil counts it (W&B's {@code disk}): used over used plus what
   * an unprivileged user may still take, so the blocks kept for root count as neither.
   */
  static double diskUsedPercent(Path disk) {
    if (disk == null) {
      return -1;
    }
    try {
      FileStore store = Files.getFileStore(disk);
      long used = store.getTotalSpace() - store.getUnallocatedSpace();
      long room = used + store.getUsableSpace();
      return room > 0 ? used * 100.0 / room : -1;
    } catch (IOException | SecurityException e) {
      return -1;
    }
  }

  /** {@code /} on Unix; on Windows the root of the working directory's drive. */
  private static Path rootOf(Path workingDirectory) {
    return workingDirectory.getRoot();
  }
}
