package dev.runbus.system;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * One sample of everything: the OS and process (OSHI), the JVM (its beans) and the GPUs
 * ({@code nvidia-smi}, when present). A source that fails (OSHI's native access refused on an odd
 * platform, say) is dropped with one log line and the others go on: system metrics are never
 * worth failing a run over. Blocking; not thread-safe.
 */
public final class SystemSampler {

  private static final Logger LOG = Logger.getLogger(SystemSampler.class.getName());

  private OsMetrics os;
  private final JvmSampler jvm = new JvmSampler();
  private final NvidiaSmi gpus;
  private SystemPeaks peaks = SystemPeaks.NONE;

  /** Takes the baseline the first sample's rates are measured from. */
  public SystemSampler() {
    this(NvidiaSmi.onPath().orElse(null));
  }

  SystemSampler(NvidiaSmi gpus) {
    this(gpus, true);
  }

  private SystemSampler(NvidiaSmi gpus, boolean withOs) {
    this.gpus = gpus;
    if (withOs) {
      try {
        // Linux's /proc where it is there: OSHI's first use costs a short run several percent
        os = ProcOsSampler.available() ? new ProcOsSampler() : new OsSampler(Oshi.system());
      } catch (RuntimeException | LinkageError | java.io.IOException e) {
        LOG.log(Level.INFO, "no OS metrics on this platform: " + e, e);
      }
    }
  }

  /**
   * The JVM's metrics alone, at once: for a run that finishes before its sampler is ready (OSHI's
   * first use in a JVM loads a few hundred classes, which a run of a second should not wait for).
   */
  static SystemSampler jvmOnly() {
    return new SystemSampler(null, false);
  }

  /** Every metric now, under W&B's keys (without {@code system.}). */
  public Map<String, Double> sample() {
    Map<String, Double> out = new LinkedHashMap<>();
    if (os != null) {
      try {
        os.sample(out);
      } catch (RuntimeException | LinkageError e) {
        os = null;
        LOG.log(Level.INFO, "no more OS metrics: " + e, e);
      }
    }
    jvm.sample(out);
    double busiestGpu = Double.NaN;
    if (gpus != null) {
      List<GpuReading> readings = gpus.read();
      for (GpuReading gpu : readings) {
        out.putAll(gpu.metrics());
        if (Double.isFinite(gpu.utilization())) {
          busiestGpu = Double.isNaN(busiestGpu) ? gpu.utilization() : Math.max(busiestGpu, gpu.utilization());
        }
      }
    }
    peaks =
        peaks.with(
            out.getOrDefault(StatsKeys.CPU, Double.NaN), jvm.heapUsed(), jvm.heapMax(), busiestGpu);
    return out;
  }

  /** The highest readings of every sample so far. */
  public SystemPeaks peaks() {
    return peaks;
  }
}
