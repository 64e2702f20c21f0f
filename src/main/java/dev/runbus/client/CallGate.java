package dev.runbus.client;

import dev.runbus.RunbusException;

/**
 * Whether a run still takes calls that record. Until finish() it does, unless its pipeline is
 * unreachable: then every call throws, saying why. After finish() a call throws, except once the
 * JVM's exit has finished the run: the program's threads may still be logging while it shuts down,
 * and what they log then is dropped quietly rather than thrown at them.
 */
final class CallGate {

  private final String runId;
  private final RunClient client;
  private volatile boolean closed; // finish() began
  private volatile boolean closedAtExit; // by the shutdown hook

  CallGate(String runId, RunClient client) {
    this.runId = runId;
    this.client = client;
  }

  /** Whether a call may still record; false only for a call the JVM's exit made too late. */
  boolean accepts(String call) {
    if (closed) {
      if (closedAtExit) {
        return false;
      }
      throw LogChecks.finished(call, runId);
    }
    Throwable dead = client.dead();
    if (dead != null) {
      throw new RunbusException(
          "runbus: run " + runId + " cannot record anything: " + PipelineFailure.describe(dead),
          dead);
    }
    return true;
  }

  /** Throws unless the run still takes calls. */
  void check(String call) {
    if (!accepts(call)) {
      throw new IllegalStateException(
          call + " on run " + runId + ", which was finished as the program exited");
    }
  }

  /** finish() began: no call records from now on. */
  void close() {
    closed = true;
  }

  boolean isClosed() {
    return closed;
  }

  /** The JVM's exit is about to finish the run: calls still being made then are dropped quietly. */
  void closingAtExit() {
    closedAtExit = true;
  }
}
