package dev.runbus.client;

/**
 * The client's copy of the Handler's step counter (§2.3), kept in queue order, so {@code log()} can
 * refuse a lower step on the caller's thread in strict mode and warn once otherwise. The Handler
 * stays the authority: it drops and counts such rows on its own.
 */
final class StepMirror {

  private long current;

  StepMirror(long startingStep) {
    this.current = startingStep;
  }

  /** The step a row with this explicit step would conflict with, or -1 if it is fine. */
  long conflict(long step) {
    return step != Row.NO_STEP && step < current ? current : -1;
  }

  long current() {
    return current;
  }

  /** Advances as the Handler will for an accepted row. */
  void accept(long step, Boolean commit) {
    if (step != Row.NO_STEP && step > current) {
      current = step;
    }
    boolean flush = commit != null ? commit : step == Row.NO_STEP;
    if (flush) {
      current++;
    }
  }
}
