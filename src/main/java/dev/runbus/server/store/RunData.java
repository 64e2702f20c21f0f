package dev.runbus.server.store;

import java.util.List;

/** Reading what the FileStream stored: history, system metrics (events) and console lines. */
public interface RunData {

  /** The history keys the run has logged, sorted. */
  List<String> historyKeys(long runId);

  /** The last {@code n} history lines, oldest first, as stored (W&B's historyTail). */
  List<String> historyTail(long runId, int n);

  /** The last {@code n} events lines, oldest first. */
  List<String> eventsTail(long runId, int n);

  /**
   * Streams history lines {@code fromLine ..} (at most {@code limit}), reduced to {@code keys}
   * (all keys when empty) plus {@code _step}; each line a JSON object text.
   */
  void scanHistory(long runId, List<String> keys, long fromLine, long limit, LineSink sink);

  /**
   * The history of {@code keys} sampled to about {@code points} points per key, keeping each
   * bucket's minimum and maximum so spikes survive (see docs/server.md for the exact rule).
   */
  SampledHistory sampleHistory(long runId, List<String> keys, int points);

  /**
   * As {@link #sampleHistory(long, List, int)}; with {@code xKey} (not null, not {@code _step}),
   * each series also carries {@link SampledHistory.Series#xs()}: the value of history key {@code
   * xKey} on the line of each point, null where that line has none. Buckets stay by step.
   */
  SampledHistory sampleHistory(long runId, List<String> keys, int points, String xKey);

  /** Events (system metrics) lines {@code fromLine ..}, at most {@code limit}. */
  void scanEvents(long runId, long fromLine, long limit, LineSink sink);

  /** Console lines {@code fromLine ..}, at most {@code limit}, as the client sent them. */
  void scanConsole(long runId, long fromLine, long limit, LineSink sink);

  /** Receives lines in order; {@code lineNumber} is the line's 0-based index in its file. */
  @FunctionalInterface
  interface LineSink {
    void line(long lineNumber, String text);
  }

  /**
   * Per key, the sampled points in step order: {@code steps[i]} and {@code values[i]}, found on
   * history line {@code lines[i]}; {@code xs[i]} the x key's value on that line (null: none), or
   * {@code xs} null when no x key was asked.
   */
  record SampledHistory(List<Series> series, long rowsScanned) {
    public record Series(String key, long[] steps, double[] values, long[] lines, Double[] xs) {
      public Series(String key, long[] steps, double[] values) {
        this(key, steps, values, new long[steps.length], null);
      }

      public Series withXs(Double[] xs) {
        return new Series(key, steps, values, lines, xs);
      }
    }
  }
}
