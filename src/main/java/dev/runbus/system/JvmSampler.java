package dev.runbus.system;

import java.lang.management.ClassLoadingMXBean;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.lang.management.MemoryUsage;
import java.lang.management.ThreadMXBean;
import java.util.List;
import java.util.Map;

/**
 * The JVM's own metrics ({@code system.jvm.*}) from its management beans: heap and non-heap,
 * each collector's count and time so far, live threads, loaded classes, and the allocation rate
 * where the JVM counts allocated bytes (HotSpot does).
 */
final class JvmSampler {

  private static final double MB = 1024 * 1024;

  private final MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
  private final List<GarbageCollectorMXBean> collectors =
      ManagementFactory.getGarbageCollectorMXBeans();
  private final ThreadMXBean threads = ManagementFactory.getThreadMXBean();
  private final ClassLoadingMXBean classes = ManagementFactory.getClassLoadingMXBean();
  private long lastAllocated = -1;
  private long lastAllocatedAt;

  JvmSampler() {
    allocationRate(System.nanoTime()); // the baseline the first sample's rate is measured from
  }

  void sample(Map<String, Double> out) {
    MemoryUsage heap = memory.getHeapMemoryUsage();
    MemoryUsage nonHeap = memory.getNonHeapMemoryUsage();
    out.put(StatsKeys.JVM_HEAP_USED_MB, heap.getUsed() / MB);
    out.put(StatsKeys.JVM_HEAP_COMMITTED_MB, heap.getCommitted() / MB);
    if (heap.getMax() > 0) {
      out.put(StatsKeys.JVM_HEAP_MAX_MB, heap.getMax() / MB);
    }
    out.put(StatsKeys.JVM_NONHEAP_USED_MB, nonHeap.getUsed() / MB);
    out.put(StatsKeys.JVM_NONHEAP_COMMITTED_MB, nonHeap.getCommitted() / MB);
    for (GarbageCollectorMXBean gc : collectors) {
      if (gc.getCollectionCount() >= 0) {
        out.put(StatsKeys.gcCount(gc.getName()), (double) gc.getCollectionCount());
      }
      if (gc.getCollectionTime() >= 0) {
        out.put(StatsKeys.gcTime(gc.getName()), (double) gc.getCollectionTime());
      }
    }
    out.put(StatsKeys.JVM_THREADS, (double) threads.getThreadCount());
    out.put(StatsKeys.JVM_CLASSES_LOADED, (double) classes.getLoadedClassCount());
    double rate = allocationRate(System.nanoTime());
    if (rate >= 0) {
      out.put(StatsKeys.JVM_ALLOCATION_RATE, rate);
    }
  }

  /** Heap bytes in use now, for the run's peaks. */
  long heapUsed() {
    return memory.getHeapMemoryUsage().getUsed();
  }

  /** The heap's limit, or -1 when it has none. */
  long heapMax() {
    return memory.getHeapMemoryUsage().getMax();
  }

  /**
   * Bytes allocated per second since the last call, by all threads (those that ended included);
   * -1 on the first call or where the JVM does not count them.
   */
  private double allocationRate(long now) {
    long allocated = totalAllocated();
    double rate = -1;
    if (allocated >= 0 && lastAllocated >= 0 && now > lastAllocatedAt) {
      rate = Math.max(0, allocated - lastAllocated) / ((now - lastAllocatedAt) / 1e9);
    }
    lastAllocated = allocated;
    lastAllocatedAt = now;
    return rate;
  }

  private long totalAllocated() {
    if (!(threads instanceof com.sun.management.ThreadMXBean hotspot)) {
      return -1;
    }
    try {
      return hotspot.isThreadAllocatedMemorySupported()
              && hotspot.isThreadAllocatedMemoryEnabled()
          ? hotspot.getTotalThreadAllocatedBytes()
          : -1;
    } catch (UnsupportedOperationException e) {
      return -1;
    }
  }
}
