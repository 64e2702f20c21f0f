package dev.runbus.handler;

import dev.runbus.proto.HistoryItem;
import dev.runbus.proto.Record;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import java.util.function.Consumer;
import java.util.function.DoubleSupplier;

/**
 * Everything one run's Handler remembers: the stepper, summary, metric definitions, sampler, run
 * start time, counters and whether the run has exited. Shared by the per-kind handlers; confined to
 * one thread (the Handler verticle's event loop).
 */
public final class RunState {
  static final String LOWER_STEP_WARNING =
      "Tried to log to step %d that is less than the current step %d. Steps must be"
          + " monotonically increasing, so this data will be ignored. See"
          + " https://wandb.me/define-metric to log data out of order.";

  final HistoryStepper stepper;
  final MetricDefinitions metrics = new MetricDefinitions();
  final SummaryTracker summary = new SummaryTracker(metrics);
  final HistorySampler sampler;

  /** §2.5 step_sync: the last row item seen for each step-metric key. */
  final Map<String, HistoryItem> stepMetricValues = new HashMap<>();

  private final DoubleSupplier clockSeconds;
  private double runStartSeconds;
  private Consumer<String> warningListener = message -> {};
  private boolean warnedLowerStep;
  private boolean exited;
  private long historyRows;
  private long recordsIn;
  private long recordsOut;
  private long ignoredRecords;
  private long lastStep = -1;

  /**
   * @param runStartEpochSeconds the run's start, Unix seconds (for {@code _runtime} and the exit
   *     runtime)
   * @param startingStep the first step: 0, or the server's next step for a resumed run
   */
  public RunState(double runStartEpochSeconds, long startingStep) {
    this(runStartEpochSeconds, startingStep, RunState::systemSeconds);
  }

  /** As {@link #RunState(double, long)} with the clock that measures the exit runtime. */
  public RunState(double runStartEpochSeconds, long startingStep, DoubleSupplier clockSeconds) {
    this(runStartEpochSeconds, startingStep, clockSeconds, HistorySampler.DEFAULT_MAX_KEYS);
  }

  /** As above, bounding how many keys the history sampler tracks (default 10,000). */
  public RunState(
      double runStartEpochSeconds,
      long startingStep,
      DoubleSupplier clockSeconds,
      int maxSampledKeys) {
    this.runStartSeconds = runStartEpochSeconds;
    this.stepper = new HistoryStepper(startingStep);
    this.clockSeconds = Objects.requireNonNull(clockSeconds, "clockSeconds");
    this.sampler = new HistorySampler(maxSampledKeys);
  }

  public double runStartEpochSeconds() {
    return runStartSeconds;
  }

  public boolean exited() {
    return exited;
  }

  public HandlerStats stats() {
    return new HandlerStats(
        historyRows, stepper.droppedRows(), recordsIn, recordsOut, lastStep, ignoredRecords);
  }

  void setWarningListener(Consumer<String> listener) {
    this.warningListener = Objects.requireNonNull(listener, "listener");
  }

  void setRunStart(double epochSeconds) {
    this.runStartSeconds = epochSeconds;
  }

  /** True before the first row was emitted or buffered (a resumed run may still move the step). */
  boolean nothingLogged() {
    return historyRows == 0 && !stepper.hasPending();
  }

  /** Whole seconds since the run started (§1.6 RunExitRecord.runtime). */
  int runtimeSeconds() {
    return (int) Math.max(0, Math.floor(clockSeconds.getAsDouble() - runStartSeconds));
  }

  void emit(RecordSink out, Record record) {
    recordsOut++;
    out.emit(record);
  }

  /** A block of {@code rows} history rows, emitted as one record, the last at {@code lastStep}. */
  void emitRows(RecordSink out, Record record, int rows, long lastStep) {
    recordsOut += rows;
    historyRows += rows;
    this.lastStep = lastStep;
    out.emit(record);
  }

  void historyRowEmitted(long step) {
    historyRows++;
    lastStep = step;
  }

  long recordsIn() {
    return recordsIn;
  }

  void countIn() {
    recordsIn++;
  }

  void countIn(int records) {
    recordsIn += records;
  }

  void countIgnored() {
    ignoredRecords++;
  }

  void countIgnored(int records) {
    ignoredRecords += records;
  }

  void markExited() {
    exited = true;
  }

  /** §2.3 (H): the user sees the warning once per run, not once per dropped row. */
  void warnLowerStep(long step, long current) {
    if (!warnedLowerStep) {
      warnedLowerStep = true;
      warningListener.accept(String.format(LOWER_STEP_WARNING, step, current));
    }
  }

  private static double systemSeconds() {
    return System.currentTimeMillis() / 1000.0;
  }
}
