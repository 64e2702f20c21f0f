package dev.runbus.handler;

import dev.runbus.proto.HistoryItem;
import java.util.List;

/**
 * Resolves every key of a row against the metric definitions, by position. A row with the same keys
 * as the previous one, while no definition changed, reuses the previous answer, so the common case
 * costs a few {@code String.equals} instead of a hash lookup per key.
 */
final class RowResolver {
  private final MetricDefinitions metrics;
  private long shapeGeneration = -1;
  private ResolvedKey[] resolved = new ResolvedKey[0];
  private boolean reused;

  RowResolver(MetricDefinitions metrics) {
    this.metrics = metrics;
  }

  /**
   * The resolution of {@code row.get(i)} at index {@code i}; the array is reused by the next call.
   * May expand globs (their records wait in {@link MetricDefinitions#pollProduced}). The caller says
   * whether the row has the same keys as the previous row passed here; then the last resolution is
   * reused while no metric was defined since.
   */
  ResolvedKey[] resolve(List<HistoryItem> row, boolean sameKeysAsPrevious) {
    reused = sameKeysAsPrevious && shapeGeneration == metrics.generation();
    if (reused) {
      return resolved;
    }
    int n = row.size();
    if (resolved.length < n) {
      resolved = new ResolvedKey[n];
    }
    for (int i = 0; i < n; i++) {
      resolved[i] = metrics.resolve(row.get(i).getKey());
    }
    // read after resolving: an expansion above is a change, the next row resolves again
    shapeGeneration = metrics.generation();
    return resolved;
  }

  /**
   * True when the last {@link #resolve} call had the same keys and definitions as the one before.
   */
  boolean reusedPrevious() {
    return reused;
  }
}
