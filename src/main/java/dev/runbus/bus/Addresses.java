package dev.runbus.bus;

/**
 * Every event-bus address runbus uses. Dotted lower case; a run's pipeline lives under {@code
 * rb.run.<runId>.*} so one kernel hosts several runs at once, and anything other languages may
 * reach lives under {@code rb.bridge.*} only.
 */
public final class Addresses {

  /** The kernel's door: open and close a run's stream. */
  public static final String KERNEL_RUNS = "rb.kernel.runs";

  /**
   * A runbus service's door for remote attach, cluster-wide (every other address above is
   * registered with {@code localConsumer}, so a run stays in the JVM that opened it even when
   * that JVM's Vert.x is clustered).
   */
  public static final String SERVICE_ATTACH = "rb.service.attach";

  /** The header naming the rank a record came from, on {@link #attach} messages. */
  public static final String RANK_HEADER = "rb-rank";

  /** The only prefix the TCP event-bus bridge lets through, inbound and outbound. */
  public static final String BRIDGE_PREFIX = "rb.bridge.";

  private Addresses() {}

  /** A hosted run's coordinator, cluster-wide: where attached ranks send their records. */
  public static String attach(String runId) {
    return "rb.attach." + runId;
  }

  public static String handler(String runId) {
    return run(runId) + ".handler";
  }

  public static String writer(String runId) {
    return run(runId) + ".writer";
  }

  public static String sender(String runId) {
    return run(runId) + ".sender";
  }

  /** An online run's FileStream, beside its Sender. */
  public static String fileStream(String runId) {
    return run(runId) + ".filestream";
  }

  private static String run(String runId) {
    return "rb.run." + runId;
  }
}
