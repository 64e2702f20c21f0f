package dev.runbus.writer;

import dev.runbus.system.GpuReading;
import dev.runbus.system.NvidiaSmi;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The contents of {@code files/wandb-metadata.json} for a JVM: W&B's generic keys (os, host,
 * program, args, start time, cpu and memory), with the JVM in place of Python. W&B tolerates
 * missing and unknown keys.
 */
public final class RunMetadata {

  private RunMetadata() {}

  static Map<String, Object> describe(
      double startEpochSeconds, String program, List<String> args, Path root, String producer) {
    Instant started = Instant.ofEpochMilli((long) (startEpochSeconds * 1000));
    Map<String, Object> m = new LinkedHashMap<>();
    m.put(
        "os",
        System.getProperty("os.name")
            + "-"
            + System.getProperty("os.version")
            + "-"
            + System.getProperty("os.arch"));
    m.put(
        "java",
        System.getProperty("java.vm.name") + " " + System.getProperty("java.runtime.version"));
    m.put("heartbeatAt", Instant.now().toString());
    m.put("startedAt", started.toString());
    m.put("args", args);
    m.put("state", "running");
    m.put("program", program);
    m.put("root", root.toAbsolutePath().toString());
    m.put("host", hostName());
    m.put("username", System.getProperty("user.name"));
    m.put("executable", Path.of(System.getProperty("java.home"), "bin", "java").toString());
    m.put("cpu_count", Runtime.getRuntime().availableProcessors());
    m.put("cpu_count_logical", Runtime.getRuntime().availableProcessors());
    m.put("memory", Map.of("total", totalMemoryGb()));
    m.put("runbus", producer);
    gpus(m, NvidiaSmi.onPath().map(NvidiaSmi::devices).orElse(List.of()));
    return m;
  }

  /**
   * W&B's GPU keys: {@code gpu} (the first GPU's name), {@code gpu_count} and {@code gpu_devices}
   * (each one's name and memory in bytes), from {@code nvidia-smi}; none without a GPU.
   */
  static void gpus(Map<String, Object> m, List<GpuReading> gpus) {
    if (gpus.isEmpty()) {
      return;
    }
    m.put("gpu", gpus.get(0).name());
    m.put("gpu_count", gpus.size());
    List<Map<String, Object>> devices = new ArrayList<>();
    for (GpuReading gpu : gpus) {
      Map<String, Object> device = new LinkedHashMap<>();
      device.put("name", gpu.name());
      device.put("memory_total", gpu.memoryTotalBytes());
      devices.add(device);
    }
    m.put("gpu_devices", devices);
  }

  /** The host name without a DNS round trip where the OS already knows it. */
  public static String hostName() {
    String env = System.getenv("HOSTNAME");
    if (env != null && !env.isBlank()) {
      return env;
    }
    try {
      String etc = Files.readString(Path.of("/etc/hostname")).trim();
      if (!etc.isEmpty()) {
        return etc;
      }
    } catch (IOException | RuntimeException ignored) {
      // not Linux, or not readable: ask the resolver
    }
    try {
      return InetAddress.getLocalHost().getHostName();
    } catch (IOException e) {
      return "unknown";
    }
  }

  private static double totalMemoryGb() {
    var os = ManagementFactory.getOperatingSystemMXBean();
    if (os instanceof com.sun.management.OperatingSystemMXBean sun) {
      return Math.round(sun.getTotalMemorySize() / 1e9 * 100) / 100.0;
    }
    return 0;
  }
}
