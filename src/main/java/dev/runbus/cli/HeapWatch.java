package dev.runbus.cli;

import com.sun.management.GarbageCollectionNotificationInfo;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryUsage;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import javax.management.NotificationEmitter;
import javax.management.NotificationListener;
import javax.management.openmbean.CompositeData;

/**
 * The live heap: the most heap in use right after any garbage collection while watching. That is
 * what a run really keeps; the heap's size before a collection mostly measures garbage.
 */
final class HeapWatch implements AutoCloseable {

  private final AtomicLong peakAfterGc = new AtomicLong();
  private final AtomicLong collections = new AtomicLong();
  private final List<Runnable> removers = new ArrayList<>();
  private final AtomicLong peakSampled = new AtomicLong();
  private volatile Thread sampler;

  HeapWatch() {
    NotificationListener listener =
        (notification, handback) -> {
          if (!GarbageCollectionNotificationInfo.GARBAGE_COLLECTION_NOTIFICATION.equals(
              notification.getType())) {
            return;
          }
          var info =
              GarbageCollectionNotificationInfo.from((CompositeData) notification.getUserData());
          long used = 0;
          for (var pool : ManagementFactory.getMemoryPoolMXBeans()) {
            MemoryUsage after = info.getGcInfo().getMemoryUsageAfterGc().get(pool.getName());
            if (after != null && pool.getType() == java.lang.management.MemoryType.HEAP) {
              used += after.getUsed();
            }
          }
          peakAfterGc.accumulateAndGet(used, Math::max);
          collections.incrementAndGet(); // after: a collection counted is in the peak
        };
    for (GarbageCollectorMXBean gc : ManagementFactory.getGarbageCollectorMXBeans()) {
      if (gc instanceof NotificationEmitter emitter) {
        emitter.addNotificationListener(listener, null, null);
        removers.add(
            () -> {
              try {
                emitter.removeNotificationListener(listener);
              } catch (Exception ignored) {
                // already gone
              }
            });
      }
    }
  }

  private static final double MIB = 1048576.0;

  private volatile boolean settled;

  /**
   * Peak live heap in MiB. When no collection happened, the heap in use now (an upper bound); after
   * {@link #liveAfterFullGcMb()}, never below what that found.
   */
  double peakLiveMb() {
    if (collections.get() == 0 && !settled) {
      return heapUsed() / MIB;
    }
    return peakAfterGc.get() / MIB;
  }

  /**
   * The live heap now in MiB: the heap in use right after a full collection, which is what stays
   * once the measured work is done (the kernel, a finished run's leftovers). Call it at the end:
   * the collection it forces is slow, and is one more in {@link #collections()} once the
   * notification arrives.
   */
  double liveAfterFullGcMb() {
    if (collections.get() == 0) {
      peakAfterGc.accumulateAndGet(heapUsed(), Math::max); // the upper bound stands for the peak
    }
    System.gc();
    long live = heapUsed();
    peakAfterGc.accumulateAndGet(live, Math::max);
    settled = true;
    return live / MIB;
  }

  private static long heapUsed() {
    return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
  }

  /**
   * Measures the live heap every {@code periodMillis} with a full collection, from a thread of its
   * own until {@link #close()}. A young collection leaves the old generation's garbage in place, so
   * the heap after it overstates what is live as a small heap fills; only a full collection says
   * what a run really keeps. Each costs a pause (tens of ms on a small heap): for benchmarks that
   * check a bound, not for speed runs.
   */
  void sampleLiveEvery(long periodMillis) {
    Thread thread =
        new Thread(
            () -> {
              try {
                while (!Thread.currentThread().isInterrupted()) {
                  Thread.sleep(periodMillis);
                  System.gc();
                  peakSampled.accumulateAndGet(heapUsed(), Math::max);
                }
              } catch (InterruptedException e) {
                // closed
              }
            },
            "runbus-heap-sampler");
    thread.setDaemon(true);
    thread.start();
    sampler = thread;
  }

  /** The most live heap a full collection found while sampling, in MiB; 0 without sampling. */
  double sampledPeakLiveMb() {
    return peakSampled.get() / MIB;
  }

  long collections() {
    return collections.get();
  }

  @Override
  public void close() {
    Thread thread = sampler;
    if (thread != null) {
      thread.interrupt();
    }
    removers.forEach(Runnable::run);
  }
}
