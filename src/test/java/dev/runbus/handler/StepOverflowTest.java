package dev.runbus.handler;

import static dev.runbus.handler.Fixtures.Log;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.google.protobuf.ByteString;
import dev.runbus.handler.Fixtures.RecordingSink;
import dev.runbus.proto.HistoryRecord;
import dev.runbus.proto.HistoryRows;
import dev.runbus.proto.HistoryStep;
import dev.runbus.proto.Record;
import dev.runbus.proto.Request;
import dev.runbus.proto.RunExitRecord;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Step {@code Long.MAX_VALUE} is the last: the Handler never wraps to a negative step, whatever a
 * client sends; rows that would need a step past it are dropped and counted.
 */
class StepOverflowTest {

  private static final long LAST = Long.MAX_VALUE;
  private static final Record EXIT =
      Record.newBuilder().setExit(RunExitRecord.newBuilder().setExitCode(0)).build();

  @Test
  void aRowAfterTheLastStepIsDroppedNotWrapped() {
    RunHandler handler = RunHandler.create(1000, 0);
    RecordingSink out = new RecordingSink();
    handler.handle(Log.of("a", "1").step(LAST).record(), out);
    handler.handle(Log.of("b", "2").record(), out); // commits the row at the last step
    handler.handle(Log.of("c", "3").record(), out);
    handler.handle(Log.of("d", "4").commit(false).record(), out);
    handler.handle(Log.of("e", "5").step(LAST).record(), out);
    handler.handle(EXIT, out);
    assertEquals(List.of(LAST + ": a=1, b=2"), out.describedRows());
    assertEquals(3, handler.stats().droppedRows());
    assertEquals(LAST, handler.stats().lastStep());
  }

  @Test
  void aBlockReachingPastTheLastStepKeepsTheRowsThatFit() {
    RunHandler handler = RunHandler.create(1000, 0);
    RecordingSink out = new RecordingSink();
    handler.handle(Log.of("a", "0").step(LAST - 1).commit(true).record(), out);
    handler.handle(block("a", "1", "2", "3"), out);
    assertEquals(List.of((LAST - 1) + ": a=0", LAST + ": a=1"), out.describedRows());
    assertEquals(2, handler.stats().droppedRows());
  }

  @Test
  void aReadyMadeRowAtTheLastStepIsTheLastOne() {
    RunHandler handler = RunHandler.create(1000, 0);
    RecordingSink out = new RecordingSink();
    handler.handle(history(LAST, "a", "1"), out);
    handler.handle(history(-1, "a", "2"), out); // no step of its own: none is left
    assertEquals(List.of(LAST + ": a=1"), out.describedRows());
    assertEquals(1, handler.stats().droppedRows());
  }

  /** A log_rows block of one key: each value a row. */
  private static Record block(String key, String... values) {
    byte[] bytes = new byte[values.length * 8];
    int at = 0;
    for (String value : values) {
      at = dev.runbus.bus.ValueCursor.putLength(bytes, at, value.length());
      for (char c : value.toCharArray()) {
        bytes[at++] = (byte) c;
      }
    }
    HistoryRows rows =
        HistoryRows.newBuilder().addKey(key).setValues(ByteString.copyFrom(bytes, 0, at)).build();
    return Record.newBuilder().setRequest(Request.newBuilder().setLogRows(rows)).build();
  }

  /** A ready-made history record; {@code step} -1 for none. */
  private static Record history(long step, String key, String json) {
    HistoryRecord.Builder history = HistoryRecord.newBuilder().addItem(Fixtures.item(key, json));
    if (step != -1) {
      history.setStep(HistoryStep.newBuilder().setNum(step));
    }
    return Fixtures.history(history.build());
  }
}
