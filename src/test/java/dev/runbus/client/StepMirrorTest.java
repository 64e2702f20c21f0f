package dev.runbus.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class StepMirrorTest {

  @Test
  void followsTheHandlersSteps() {
    StepMirror steps = new StepMirror(0);
    steps.accept(Row.NO_STEP, null);
    steps.accept(5, null);
    assertEquals(5, steps.current());
    assertEquals(5, steps.conflict(3));
    assertEquals(-1, steps.conflict(5));
    steps.accept(Row.NO_STEP, null);
    assertEquals(6, steps.current());
  }

  @Test
  void nothingFollowsARowCommittedAtTheLastStep() {
    StepMirror steps = new StepMirror(0);
    assertEquals(-1, steps.conflict(Long.MAX_VALUE));
    steps.accept(Long.MAX_VALUE, null); // pending at the last step: rows may still join it
    assertEquals(-1, steps.conflict(Row.NO_STEP));
    steps.accept(Row.NO_STEP, null); // commits it
    assertEquals(Long.MAX_VALUE, steps.current());
    for (long step : new long[] {Row.NO_STEP, Long.MAX_VALUE, 3}) {
      IllegalStateException e =
          assertThrows(IllegalStateException.class, () -> steps.conflict(step));
      assertTrue(e.getMessage().contains("Long.MAX_VALUE"), e.getMessage());
    }
  }
}
