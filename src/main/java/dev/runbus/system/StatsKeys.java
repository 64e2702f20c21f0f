package dev.runbus.system;

/**
 * The names of system metrics as a StatsRecord carries them: W&B's keys without the {@code
 * system.} prefix, which the FileStream (and W&B's own) adds in {@code wandb-events.jsonl}.
 */
public final class StatsKeys {

  public static final String CPU = "cpu";
  public static final String MEMORY = "memory";
  public static final String PROC_RSS_MB = "proc.memory.rssMB";
  public static final String PROC_AVAILABLE_MB = "proc.memory.availableMB";
  public static final String PROC_MEMORY_PERCENT = "proc.memory.percent";
  public static final String PROC_THREADS = "proc.cpu.threads";
  public static final String DISK = "disk";
  public static final String NETWORK_SENT = "network.sent";
  public static final String NETWORK_RECV = "network.recv";

  public static final String JVM_HEAP_USED_MB = "jvm.heap.usedMB";
  public static final String JVM_HEAP_COMMITTED_MB = "jvm.heap.committedMB";
  public static final String JVM_HEAP_MAX_MB = "jvm.heap.maxMB";
  public static final String JVM_NONHEAP_USED_MB = "jvm.nonheap.usedMB";
  public static final String JVM_NONHEAP_COMMITTED_MB = "jvm.nonheap.committedMB";
  public static final String JVM_THREADS = "jvm.threads";
  public static final String JVM_CLASSES_LOADED = "jvm.classes.loaded";
  public static final String JVM_ALLOCATION_RATE = "jvm.alloc.bytesPerSec";

  private static final String GC_PREFIX = "jvm.gc.";
  private static final String GC_COUNT = ".count";
  private static final String GC_TIME = ".timeMs";

  private StatsKeys() {}

  /** System-wide use of logical core {@code core}, in percent. */
  public static String corePercent(int core) {
    return "cpu." + core + ".cpu_percent";
  }

  /** Collections so far by the collector {@code name}. */
  public static String gcCount(String collector) {
    return GC_PREFIX + sanitize(collector) + GC_COUNT;
  }

  /** Milliseconds the collector {@code name} spent collecting so far. */
  public static String gcTime(String collector) {
    return GC_PREFIX + sanitize(collector) + GC_TIME;
  }

  /** {@code gpu.<index>.<metric>}, as W&B names its GPU keys. */
  public static String gpu(int index, String metric) {
    return "gpu." + index + "." + metric;
  }

  /**
   * Keys whose last sample stands for the interval: thread counts, as W&B takes them, and the
   * collectors' running totals, whose mean would lag behind what happened. Everything else is
   * the mean of the interval's samples (W&B's rule, the network's bytes since the start
   * included).
   */
  static boolean lastWins(String key) {
    return key.equals(PROC_THREADS)
        || key.equals(JVM_THREADS)
        || (key.startsWith(GC_PREFIX) && (key.endsWith(GC_COUNT) || key.endsWith(GC_TIME)));
  }

  /**
   * A collector's name as one key segment: "G1 Young Generation" becomes {@code
   * G1_Young_Generation}; anything but letters, digits, '-' and '_' becomes '_' (a '.' or '/'
   * would split the key in W&B's UI).
   */
  static String sanitize(String name) {
    StringBuilder out = new StringBuilder(name.length());
    for (int i = 0; i < name.length(); i++) {
      char c = name.charAt(i);
      boolean plain =
          (c >= 'a' && c <= 'z')
              || (c >= 'A' && c <= 'Z')
              || (c >= '0' && c <= '9')
              || c == '-'
              || c == '_';
      out.append(plain ? c : '_');
    }
    return out.length() == 0 ? "_" : out.toString();
  }

  /**
   * A key of one rank's system metrics in a run several ranks write: W&B's label suffix, {@code
   * cpu/l:rank1}, so every rank's CPU is its own series (W&B's newer clients label a node's
   * metrics this way).
   */
  public static String labelled(String key, String label) {
    return key + "/l:" + label;
  }
}
