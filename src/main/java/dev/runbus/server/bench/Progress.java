package dev.runbus.server.bench;

import java.io.PrintStream;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/** A progress line every few seconds while a long phase runs. */
final class Progress implements AutoCloseable {
  private final ScheduledExecutorService timer =
      Executors.newSingleThreadScheduledExecutor(
          r -> {
            Thread t = new Thread(r, "bench-progress");
            t.setDaemon(true);
            return t;
          });

  Progress(PrintStream out, String phase, long total, AtomicLong done) {
    long start = System.nanoTime();
    timer.scheduleAtFixedRate(
        () -> {
          long n = done.get();
          double seconds = (System.nanoTime() - start) / 1e9;
          out.printf(
              "  %s: %,d of %,d rows (%.0f%%), %,.0f rows/s%n",
              phase, n, total, 100.0 * n / total, n / seconds);
        },
        5,
        5,
        TimeUnit.SECONDS);
  }

  @Override
  public void close() {
    timer.shutdownNow();
  }
}
