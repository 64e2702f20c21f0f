package dev.runbus.cli;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.Test;

/**
 * bench's memory figures measure the heap: a known amount kept alive shows up in them, and goes
 * once it is let go. A constant, a figure in the wrong unit or one read from the wrong pools fails.
 */
class HeapWatchTest {

  private static final int KEPT_MIB = 24;

  /** Kept reachable from a field, so no collection can free it while the test needs it. */
  private byte[][] kept;

  @Test
  void thePeakAndTheLiveHeapSeeWhatIsKeptAlive() {
    double ceiling = Runtime.getRuntime().maxMemory() / 1048576.0;
    try (HeapWatch heap = new HeapWatch()) {
      kept = new byte[KEPT_MIB][1048576];
      System.gc();
      double peak = awaitPeakOf(heap, KEPT_MIB);
      assertTrue(peak >= KEPT_MIB && peak < ceiling, "peak " + peak + " MiB");

      double withIt = heap.liveAfterFullGcMb();
      assertTrue(withIt >= KEPT_MIB && withIt <= heap.peakLiveMb(), "live " + withIt + " MiB");

      kept = null;
      double without = heap.liveAfterFullGcMb();
      assertTrue(without > 0 && without <= withIt - KEPT_MIB + 1, withIt + " then " + without);
      assertTrue(heap.peakLiveMb() >= withIt, "the peak stays: " + heap.peakLiveMb());
    }
  }

  /**
   * The peak once it reaches {@code mib}, or after 10 s whatever it is: GC notifications arrive on
   * a JMX thread some time after their collection, and collections earlier than the test's own may
   * be reported first.
   */
  private static double awaitPeakOf(HeapWatch heap, double mib) {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while ((heap.collections() == 0 || heap.peakLiveMb() < mib) && System.nanoTime() < deadline) {
      LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(1));
    }
    return heap.peakLiveMb();
  }
}
