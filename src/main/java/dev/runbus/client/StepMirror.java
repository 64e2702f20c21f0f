package dev.runbus.client;

/**
 * The client's copy of the Handler's step counter (§2.3), kept in queue order, so {@code log()} can
 * refuse a lower step on the caller's thread in strict mode and warn once otherwise. The Handler
 * stays the authority: it drops and counts such rows on its own.
 *
 * <p>It also refuses, with an exception, any row once a row was committed at {@code
 * Long.MAX_VALUE}: the step would have to wrap to a negative one, which no log may hold.
 */
final class StepMirror {

  private long current;
  private boolean exhausted; // a row was committed at Long.MAX_VALUE

  StepMirror(long startingStep) {
    this.current = startingStep;
  }

  /**
   * The step a row with this explicit step would conflict with, or -1 if it is fine.
   *
   * @throws IllegalStateException once a row was committed at {@code Long.MAX_VALUE}: no step is
   *     left for another row
   */
  long conflict(long step) {
    if (exhausted) {
      throw new IllegalStateException(
          "log(): no step is left: a row was committed at step "
              + Long.MAX_VALUE
              + " (Long.MAX_VALUE), the last one, and steps cannot wrap around; this row was not"
              + " logged");
    }
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
      if (current == Long.MAX_VALUE) {
        exhausted = true;
      } else {
        current++;
      }
    }
  }
}
