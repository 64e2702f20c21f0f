package dev.runbus.client;

import dev.runbus.proto.Record;
import java.io.PrintStream;
import java.util.Map;

/**
 * What a run's calls put into its queue, in one order. A row is checked and copied on the caller's
 * thread, and the Handler's step is mirrored so that a lower step is refused (strict steps) or
 * warned about once; other records are queued as they are. One lock orders all of it with the exit
 * record finish() queues, so nothing a call accepted lands after it.
 */
final class RowIntake {

  private final StepMirror steps = new StepMirror(0); // also the lock
  private final boolean strictSteps;
  private final RunClock clock;
  private final RunClient client;
  private final CallGate gate;
  private final PrintStream console;
  private boolean warnedLowerStep;

  RowIntake(
      boolean strictSteps, RunClock clock, RunClient client, CallGate gate, PrintStream console) {
    this.strictSteps = strictSteps;
    this.clock = clock;
    this.client = client;
    this.gate = gate;
    this.console = console;
  }

  /** The step the next row without one is logged at. */
  long step() {
    synchronized (steps) {
      return steps.current();
    }
  }

  /** {@code step} is {@link Row#NO_STEP} when the caller gave none. */
  void log(Map<String, ?> row, long step, Boolean commit) {
    if (row == null) {
      throw LogChecks.nullRow();
    }
    if (!gate.accepts("log()")) {
      return;
    }
    int capacity = row.size();
    String[] keys = new String[capacity];
    Object[] values = new Object[capacity];
    int n = LogChecks.copyInto(row, keys, values);
    synchronized (steps) {
      if (!gate.accepts("log()")) {
        return; // finish() took the lock first: its exit record is queued, nothing may follow it
      }
      long current = steps.conflict(step);
      if (current >= 0) {
        lowerStep(step, current);
      }
      double now = clock.now();
      client.putRow(new Row(keys, values, n, step, commit, now, now - clock.startSeconds));
      if (current < 0) {
        steps.accept(step, commit); // only once queued: a put that failed logged nothing
      }
    }
  }

  /** §2.3: W&B drops the row and warns; strict mode refuses it here instead. */
  private void lowerStep(long step, long current) {
    if (strictSteps) {
      throw LogChecks.lowerStep(step, current);
    }
    if (!warnedLowerStep) {
      warnedLowerStep = true;
      console.println(
          "runbus: WARNING Tried to log to step "
              + step
              + " that is less than the current step "
              + current
              + ". Steps must be monotonically increasing, so this data will be ignored. "
              + "See https://wandb.me/define-metric to log data out of order.");
    }
  }

  /** Queues {@code record} unless the run takes no more calls. */
  void putIfOpen(String call, Record record) {
    synchronized (steps) {
      if (gate.accepts(call)) {
        client.put(record);
      }
    }
  }

  /** Closes the gate and queues the exit record, after everything a call was accepted for. */
  void putLast(Record exit) {
    synchronized (steps) {
      gate.close();
      client.put(exit);
    }
  }
}
