package dev.runbus.handler;

import static dev.runbus.handler.Fixtures.Log;
import static dev.runbus.handler.Fixtures.items;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.params.provider.Arguments.arguments;

import dev.runbus.handler.Fixtures.RecordingSink;
import dev.runbus.proto.Control;
import dev.runbus.proto.HistoryRecord;
import dev.runbus.proto.HistoryStep;
import dev.runbus.proto.Record;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** §2.2: {@code _runtime} and {@code _step} on emitted rows; ready-made history records. */
class HistoryRowTest {
  private final RunHandler handler = RunHandler.create(1000, 0);
  private final RecordingSink out = new RecordingSink();

  static Stream<Arguments> runtime() {
    return Stream.of(
        arguments(
            "_runtime = _timestamp - run start",
            Log.of("loss", "1", "_timestamp", "1012.5"),
            "0: loss=1, _timestamp=1012.5, _runtime=12.5"),
        arguments(
            "a client-sent _runtime is kept",
            Log.of("_timestamp", "1012.5", "_runtime", "3.25"),
            "0: _timestamp=1012.5, _runtime=3.25"),
        arguments("no _timestamp, no _runtime", Log.of("loss", "1"), "0: loss=1"),
        arguments(
            "an unreadable _timestamp adds nothing",
            Log.of("_timestamp", "\"soon\""),
            "0: _timestamp=\"soon\""));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("runtime")
  void runtimeIsAddedOnlyWhenMissing(String name, Log log, String row) {
    handler.handle(log.record(), out);
    assertEquals(List.of(row), out.describedRows());
  }

  static Stream<Arguments> readyMade() {
    return Stream.of(
        arguments(
            "without a step: the next step",
            List.of(HistoryRecord.newBuilder().addAllItem(items("a", "1")).build()),
            List.of("0: a=1", "1: b=2")),
        arguments(
            "with a step: that step, the counter continues after it",
            List.of(
                HistoryRecord.newBuilder()
                    .addAllItem(items("a", "1"))
                    .setStep(HistoryStep.newBuilder().setNum(7))
                    .build()),
            List.of("7: a=1", "8: b=2")),
        arguments(
            "a replayed row's _step is replaced, not duplicated",
            List.of(
                HistoryRecord.newBuilder()
                    .addAllItem(items("a", "1", "_step", "3"))
                    .setStep(HistoryStep.newBuilder().setNum(3))
                    .build()),
            List.of("3: a=1", "4: b=2")));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("readyMade")
  void readyMadeHistoryRecordsGetSteps(
      String name, List<HistoryRecord> histories, List<String> rows) {
    histories.forEach(h -> handler.handle(Fixtures.history(h), out));
    handler.handle(Log.of("b", "2").record(), out);
    assertEquals(rows, out.describedRows());
    assertEquals(rows.size(), handler.stats().historyRows());
  }

  @Test
  void aReadyMadeRecordKeepsItsEnvelope() {
    Record replayed =
        Record.newBuilder()
            .setHistory(HistoryRecord.newBuilder().addAllItem(items("a", "1")))
            .setUuid("u-1")
            .setControl(Control.newBuilder().setMailboxSlot("m"))
            .build();
    handler.handle(replayed, out);
    Record emitted = out.records.get(0);
    assertEquals("u-1", emitted.getUuid());
    assertEquals("m", emitted.getControl().getMailboxSlot());
  }

  @Test
  void statsCountRowsAndRecords() {
    handler.handle(Log.of("a", "1").record(), out);
    handler.handle(Log.of("a", "2").step(5).commit(true).record(), out);
    handler.handle(Log.of("a", "3").step(1).record(), out);
    assertEquals(new HandlerStats(2, 1, 3, 2, 5, 0), handler.stats());
  }
}
