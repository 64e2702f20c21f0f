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
          collections.incrementAndGet();
          peakAfterGc.accumulateAndGet(used, Math::max);
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

  /** Peak live heap in MiB; when no collection happened, the heap in use now (an upper bound). */
  double peakLiveMb() {
    if (collections.get() == 0) {
      return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed() / 1048576.0;
    }
    return peakAfterGc.get() / 1048576.0;
  }

  long collections() {
    return collections.get();
  }

  @Override
  public void close() {
    removers.forEach(Runnable::run);
  }
}
