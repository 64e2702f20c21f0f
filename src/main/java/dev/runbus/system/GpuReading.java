package dev.runbus.system;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One GPU as {@code nvidia-smi} reports it at one moment. A field the GPU does not report ({@code
 * [N/A]}, {@code [Not Supported]}) is NaN and gives no key.
 *
 * @param utilization percent of time a kernel ran
 * @param memoryUtilization percent of time memory was read or written
 * @param memoryUsedMiB memory allocated, MiB
 * @param memoryTotalMiB memory on the card, MiB
 * @param temperature degrees Celsius
 * @param powerWatts power drawn
 * @param powerLimitWatts the power limit
 */
public record GpuReading(
    int index,
    String name,
    double utilization,
    double memoryUtilization,
    double memoryUsedMiB,
    double memoryTotalMiB,
    double temperature,
    double powerWatts,
    double powerLimitWatts) {

  private static final double MIB = 1024 * 1024;

  /** W&B's GPU keys for this reading ({@code gpu.0.gpu}, {@code gpu.0.memoryAllocated}, …). */
  public Map<String, Double> metrics() {
    Map<String, Double> out = new LinkedHashMap<>();
    put(out, "gpu", utilization);
    put(out, "memory", memoryUtilization);
    if (memoryTotalMiB > 0) {
      put(out, "memoryAllocated", memoryUsedMiB / memoryTotalMiB * 100);
    }
    put(out, "memoryAllocatedBytes", memoryUsedMiB * MIB);
    put(out, "temp", temperature);
    put(out, "powerWatts", powerWatts);
    if (powerLimitWatts > 0) {
      put(out, "powerPercent", powerWatts / powerLimitWatts * 100);
    }
    return out;
  }

  /** The card's memory in bytes, or 0 when unknown (for wandb-metadata.json). */
  public long memoryTotalBytes() {
    return Double.isFinite(memoryTotalMiB) ? (long) (memoryTotalMiB * MIB) : 0;
  }

  private void put(Map<String, Double> out, String metric, double value) {
    if (Double.isFinite(value)) {
      out.put(StatsKeys.gpu(index, metric), value);
    }
  }
}
