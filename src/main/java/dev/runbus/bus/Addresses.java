package dev.runbus.bus;

/**
 * Every event-bus address runbus uses. Dotted lower case; a run's pipeline lives under {@code
 * rb.run.<runId>.*} so one kernel hosts several runs at once, and anything other languages may
 * reach lives under {@code rb.bridge.*} only.
 */
public final class Addresses {

  /** The kernel's door: open and close a run's stream. */
  public static final String KERNEL_RUNS = "rb.kernel.runs";

  private Addresses() {}

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
