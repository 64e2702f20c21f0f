package dev.runbus.server.store.history;

import java.util.Arrays;

/**
 * Values of one key in line order: for each, its line number, its step (the line's x) and the
 * value, with whether it was written as an integer. Used for a batch being appended and for one
 * decoded block.
 */
final class Column {
  long[] lines;
  long[] steps;
  double[] values;
  boolean[] ints;
  int size;

  Column(int capacity) {
    int n = Math.max(4, capacity);
    lines = new long[n];
    steps = new long[n];
    values = new double[n];
    ints = new boolean[n];
  }

  /** Adds a value; a second value of the same line replaces the first (the last one wins). */
  void add(long line, long step, double value, boolean isInt) {
    if (size > 0 && lines[size - 1] == line) {
      size--;
    }
    if (size == lines.length) {
      int n = size * 2;
      lines = Arrays.copyOf(lines, n);
      steps = Arrays.copyOf(steps, n);
      values = Arrays.copyOf(values, n);
      ints = Arrays.copyOf(ints, n);
    }
    lines[size] = line;
    steps[size] = step;
    values[size] = value;
    ints[size] = isInt;
    size++;
  }

  void addAll(Column from, int start, int end) {
    for (int i = start; i < end; i++) {
      add(from.lines[i], from.steps[i], from.values[i], from.ints[i]);
    }
  }

  /** First index at or after {@code start} whose line is at least {@code line}, or size. */
  int indexOfLineAtLeast(int start, long line) {
    int lo = start;
    int hi = size;
    while (lo < hi) {
      int mid = (lo + hi) >>> 1;
      if (lines[mid] < line) {
        lo = mid + 1;
      } else {
        hi = mid;
      }
    }
    return lo;
  }
}
