package dev.runbus.handler;

import static dev.runbus.handler.Fixtures.Log;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.params.provider.Arguments.arguments;

import dev.runbus.handler.Fixtures.RecordingSink;
import dev.runbus.proto.Record;
import dev.runbus.proto.RunExitRecord;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** §2.3 step ordering and commit rules, as rows the log would hold. */
class StepAndCommitTest {
  private static final Record EXIT =
      Record.newBuilder().setExit(RunExitRecord.newBuilder().setExitCode(0)).build();

  static Stream<Arguments> scenarios() {
    return Stream.of(
        arguments(
            "log(a, commit=False); log(b) -> one row {a,b} at 0",
            List.of(Log.of("a", "1").commit(false), Log.of("b", "2")),
            false,
            List.of("0: a=1, b=2"),
            0),
        arguments(
            "log(a, step=5); log(b) -> one row at 5, the next at 6",
            List.of(Log.of("a", "1").step(5), Log.of("b", "2"), Log.of("c", "3")),
            false,
            List.of("5: a=1, b=2", "6: c=3"),
            0),
        arguments(
            "log(a, step=5, commit=True) -> row at 5 immediately",
            List.of(Log.of("a", "1").step(5).commit(true)),
            false,
            List.of("5: a=1"),
            0),
        arguments(
            "log(a, step=5) alone stays pending",
            List.of(Log.of("a", "1").step(5)),
            false,
            List.of(),
            0),
        arguments(
            "a lower explicit step drops the whole request",
            List.of(Log.of("a", "1"), Log.of("a", "2"), Log.of("x", "9").step(1), Log.of("a", "3")),
            false,
            List.of("0: a=1", "1: a=2", "2: a=3"),
            1),
        arguments(
            "a lower step is dropped even with commit=True",
            List.of(Log.of("a", "1").step(4).commit(true), Log.of("x", "9").step(2).commit(true)),
            false,
            List.of("4: a=1"),
            1),
        arguments(
            "an equal step accumulates",
            List.of(Log.of("a", "1").step(3), Log.of("b", "2").step(3), Log.of("c", "3")),
            false,
            List.of("3: a=1, b=2, c=3"),
            0),
        arguments(
            "a later value overwrites, order of first insertion kept",
            List.of(Log.of("a", "1", "b", "1").commit(false), Log.of("c", "5", "a", "2")),
            false,
            List.of("0: a=2, b=1, c=5"),
            0),
        arguments(
            "a higher step closes the pending row at the old step",
            List.of(Log.of("a", "1").commit(false), Log.of("b", "2").step(4).commit(true)),
            false,
            List.of("0: a=1", "4: b=2"),
            0),
        arguments(
            "commit=False with a step, then commit=True at that step",
            List.of(Log.of("a", "1").step(1).commit(false), Log.of("b", "2").step(1).commit(true)),
            false,
            List.of("1: a=1, b=2"),
            0),
        arguments(
            "an empty committed request with nothing pending is no row",
            List.of(Log.of().commit(true), Log.of("a", "1")),
            false,
            List.of("0: a=1"),
            0),
        arguments(
            "exit flushes the pending row",
            List.of(Log.of("a", "1"), Log.of("b", "2").step(7)),
            true,
            List.of("0: a=1", "7: b=2"),
            0),
        arguments(
            "exit flushes a commit=False row",
            List.of(Log.of("a", "1").commit(false)),
            true,
            List.of("0: a=1"),
            0));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("scenarios")
  void rowsFollowTheStepRules(
      String name, List<Log> calls, boolean exit, List<String> expectedRows, long dropped) {
    RunHandler handler = RunHandler.create(1000, 0);
    RecordingSink out = new RecordingSink();
    for (Log call : calls) {
      handler.handle(call.record(), out);
    }
    if (exit) {
      handler.handle(EXIT, out);
    }
    assertEquals(expectedRows, out.describedRows());
    assertEquals(dropped, handler.stats().droppedRows());
    assertEquals(expectedRows.size(), handler.stats().historyRows());
  }

  @Test
  void aResumedRunStartsAtItsStartingStep() {
    RunHandler handler = RunHandler.create(1000, 10);
    RecordingSink out = new RecordingSink();
    handler.handle(Log.of("a", "1").record(), out);
    handler.handle(Log.of("a", "2").step(3).record(), out);
    assertEquals(List.of("10: a=1"), out.describedRows());
    assertEquals(1, handler.stats().droppedRows());
    assertEquals(10, handler.stats().lastStep());
  }

  @Test
  void theLowerStepWarningIsShownOncePerRun() {
    RunHandler handler = RunHandler.create(1000, 0);
    List<String> warnings = new ArrayList<>();
    handler.setWarningListener(warnings::add);
    RecordingSink out = new RecordingSink();
    handler.handle(Log.of("a", "1").step(5).commit(true).record(), out);
    handler.handle(Log.of("a", "2").step(3).record(), out);
    handler.handle(Log.of("a", "3").step(4).record(), out);
    assertEquals(
        List.of(
            "Tried to log to step 3 that is less than the current step 6. Steps must be"
                + " monotonically increasing, so this data will be ignored. See"
                + " https://wandb.me/define-metric to log data out of order."),
        warnings);
    assertEquals(2, handler.stats().droppedRows());
  }

  @Test
  void aCommittedRequestWithNothingPendingIsEmittedAsIs() {
    RunHandler handler = RunHandler.create(1000, 0);
    RecordingSink out = new RecordingSink();
    Record call = Log.of("a", "1", "b", "2").record();
    handler.handle(call, out);
    List<Object> emitted = new ArrayList<>(out.histories().get(0).getItemList());
    // fast path: the request's own item objects, then _step
    assertTrue(emitted.get(0) == call.getRequest().getPartialHistory().getItem(0));
    assertTrue(emitted.get(1) == call.getRequest().getPartialHistory().getItem(1));
  }
}
