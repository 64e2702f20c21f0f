package dev.runbus.system;

import dev.runbus.proto.Record;
import java.time.Duration;
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
 * since the last record (and one more sample), so a short run has its stats too.
 *
 * <p>All of a JVM's runs sample on one daemon thread, {@code runbus-stats}, never on an event
 * loop or the caller's: a sample reads the OS and may start {@code nvidia-smi}. Each run's
 * sampling and aggregating happen only on that thread, so they need no lock.
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
  private final StatsAggregator aggregator = new StatsAggregator();
  private volatile ScheduledFuture<?> sampling;
  private volatile ScheduledFuture<?> emitting;
  private SystemSampler sampler; // made on the stats thread, in the first task
  private volatile boolean stopped;
  private volatile SystemPeaks peaks = SystemPeaks.NONE;

  private StatsMonitor(Duration sampleInterval, Duration interval, Consumer<Record> sink) {
    this.sink = sink;
    long sampleMillis = sampleInterval.toMillis();
    long baseline = Math.min(BASELINE_DELAY_MILLIS, sampleMillis / 4);
    THREAD.schedule(this::baseline, baseline, TimeUnit.MILLISECONDS);
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
   * Stops sampling and queues the last partial aggregate (with one last sample) through the sink,
   * before the caller queues the run's exit. Waits for it at most a few seconds; returns the
   * run's peaks.
   */
  public SystemPeaks finish() {
    if (stopped) {
      return peaks;
    }
    stop();
    try {
      THREAD
          .submit(
              () -> {
                baseline();
                if (sampler != null) {
                  add(sampler);
                }
                queueAggregate();
              })
          .get(FINISH_WAIT_SECONDS, TimeUnit.SECONDS);
    } catch (ExecutionException | TimeoutException e) {
      LOG.log(Level.FINE, "the run's last system metrics were not taken", e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    return peaks;
  }

  /** The highest readings so far. */
  public SystemPeaks peaks() {
    return peaks;
  }

  private void baseline() {
    if (sampler == null) {
      try {
        sampler = new SystemSampler();
      } catch (RuntimeException | LinkageError e) {
        LOG.log(Level.INFO, "no system metrics: " + e, e);
        stop();
      }
    }
  }

  private void sample() {
    if (stopped) {
      return;
    }
    baseline();
    if (sampler != null) {
      try {
        add(sampler);
      } catch (RuntimeException e) {
        LOG.log(Level.INFO, "no more system metrics: " + e, e);
        stop();
      }
    }
  }

  private void add(SystemSampler from) {
    aggregator.add(from.sample());
    peaks = from.peaks();
  }

  private void emit() {
    if (!stopped) {
      queueAggregate();
    }
  }

  private void queueAggregate() {
    if (aggregator.isEmpty()) {
      return;
    }
    try {
      sink.accept(StatsRecords.of(aggregator.drain(), System.currentTimeMillis()));
    } catch (RuntimeException runTakesNoMore) {
      stop(); // finished or failed: the run itself says why
    }
  }

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
