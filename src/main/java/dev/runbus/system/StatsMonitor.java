package dev.runbus.system;

import dev.runbus.proto.Record;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * A run's system metrics: a sample every {@code sampleInterval}, one StatsRecord of the samples'
 * aggregate every {@code interval}, and at {@link #finish} the partial aggregate of the samples
 * since the last record (with one more sample), so a short run has its stats too.
 *
 * <p>All of a JVM's runs sample on one daemon thread, {@code runbus-stats}, never on an event
 * loop or the caller's: a sample reads the OS and may start {@code nvidia-smi}. Samplers are used
 * on that thread only; the aggregate is shared with {@link #finish} under this object's lock, and
 * records are queued outside it (queueing may wait for room in the run's queue).
 */
public final class StatsMonitor {

  private static final Logger LOG = Logger.getLogger(StatsMonitor.class.getName());
  /** How long finish() waits for the last sample (nvidia-smi's timeout, and some). */
  private static final long FINISH_WAIT_SECONDS = 10;
  /** The first (baseline) reading waits this long at most, off a cold start's busiest moment. */
  private static final long BASELINE_DELAY_MILLIS = 500;

  private static final ScheduledExecutorService THREAD =
      Executors.newSingleThreadScheduledExecutor(
          task -> {
            Thread thread = new Thread(task, "runbus-stats");
            thread.setDaemon(true);
            return thread;
          });

  private final Consumer<Record> sink;
  private final StatsAggregator aggregator = new StatsAggregator(); // guarded by this
  private volatile ScheduledFuture<?> sampling;
  private volatile ScheduledFuture<?> emitting;
  private volatile SystemSampler sampler; // made on the stats thread, by the first task
  private boolean stopped; // guarded by this
  private volatile SystemPeaks peaks = SystemPeaks.NONE;

  private StatsMonitor(Duration sampleInterval, Duration interval, Consumer<Record> sink) {
    this.sink = sink;
    long sampleMillis = sampleInterval.toMillis();
    THREAD.schedule(
        this::baseline, Math.min(BASELINE_DELAY_MILLIS, sampleMillis / 4), TimeUnit.MILLISECONDS);
    sampling =
        THREAD.scheduleAtFixedRate(this::sample, sampleMillis, sampleMillis, TimeUnit.MILLISECONDS);
    long intervalMillis = interval.toMillis();
    emitting =
        THREAD.scheduleAtFixedRate(
            this::emit, intervalMillis, intervalMillis, TimeUnit.MILLISECONDS);
  }

  /**
   * Starts sampling for a run; {@code sink} queues a StatsRecord into the run (it may block while
   * the run's queue is full, and throws once the run takes no more records, which stops this
   * monitor).
   */
  public static StatsMonitor start(
      Duration sampleInterval, Duration interval, Consumer<Record> sink) {
    return new StatsMonitor(sampleInterval, interval, sink);
  }

  /**
   * Stops sampling and queues the last partial aggregate, with one last sample, through the sink,
   * before the caller queues the run's exit. Waits a few seconds at most; returns the run's peaks.
   */
  public SystemPeaks finish() {
    synchronized (this) {
      if (stopped) {
        return peaks;
      }
      stop();
    }
    Map<String, Double> last;
    if (sampler == null) {
      // the run ends before its sampler is ready (OSHI's first use in a JVM takes a few hundred
      // milliseconds of CPU): the JVM's metrics, here and now, rather than make finish() wait
      SystemSampler jvm = SystemSampler.jvmOnly();
      last = jvm.sample();
      peaks = jvm.peaks();
    } else {
      try {
        last = THREAD.submit(this::sampleNow).get(FINISH_WAIT_SECONDS, TimeUnit.SECONDS);
      } catch (ExecutionException | TimeoutException e) {
        LOG.log(Level.FINE, "the run's last system metrics were not taken", e);
        last = Map.of();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        last = Map.of();
      }
    }
    Map<String, Double> values;
    synchronized (this) {
      aggregator.add(last);
      values = aggregator.drain();
    }
    queue(values);
    return peaks;
  }

  /** The highest readings so far. */
  public SystemPeaks peaks() {
    return peaks;
  }

  private void baseline() {
    if (sampler == null && !isStopped()) {
      try {
        sampler = new SystemSampler();
      } catch (RuntimeException | LinkageError e) {
        LOG.log(Level.INFO, "no system metrics: " + e, e);
        synchronized (this) {
          stop();
        }
      }
    }
  }

  private void sample() {
    baseline();
    if (sampler == null || isStopped()) {
      return;
    }
    Map<String, Double> values;
    try {
      values = sampleNow();
    } catch (RuntimeException e) {
      LOG.log(Level.INFO, "no more system metrics: " + e, e);
      synchronized (this) {
        stop();
      }
      return;
    }
    synchronized (this) {
      if (!stopped) {
        aggregator.add(values);
      }
    }
  }

  /** On the stats thread. */
  private Map<String, Double> sampleNow() {
    if (sampler == null) {
      return Map.of(); // its start failed
    }
    Map<String, Double> values = sampler.sample();
    peaks = sampler.peaks();
    return values;
  }

  private void emit() {
    Map<String, Double> values;
    synchronized (this) {
      if (stopped) {
        return;
      }
      values = aggregator.drain();
    }
    queue(values);
  }

  private void queue(Map<String, Double> values) {
    if (values.isEmpty()) {
      return;
    }
    try {
      sink.accept(StatsRecords.of(values, System.currentTimeMillis()));
    } catch (RuntimeException runTakesNoMore) {
      synchronized (this) {
        stop(); // finished or failed: the run itself says why
      }
    }
  }

  private synchronized boolean isStopped() {
    return stopped;
  }

  /** Under this object's lock. */
  private void stop() {
    stopped = true;
    // null while the constructor is still scheduling (a baseline that failed at once)
    if (sampling != null) {
      sampling.cancel(false);
    }
    if (emitting != null) {
      emitting.cancel(false);
    }
  }
}
