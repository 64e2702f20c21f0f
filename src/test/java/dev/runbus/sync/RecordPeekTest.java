package dev.runbus.sync;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.runbus.proto.Control;
import dev.runbus.proto.HistoryItem;
import dev.runbus.proto.HistoryRecord;
import dev.runbus.proto.Record;
import dev.runbus.proto.Request;
import dev.runbus.proto.RunExitRecord;
import dev.runbus.proto.RunRecord;
import dev.runbus.proto.StatsRecord;
import dev.runbus.proto.StopStatusRequest;
import java.util.List;
import org.junit.jupiter.api.Test;

/** A record's kind from its bytes, whatever fields come before the kind's. */
class RecordPeekTest {

  @Test
  void findsTheKindBehindNumControlAndUuid() {
    List<Record> records =
        List.of(
            Record.newBuilder()
                .setNum(300)
                .setHistory(
                    HistoryRecord.newBuilder()
                        .addItem(HistoryItem.newBuilder().setKey("loss").setValueJson("1")))
                .build(),
            // control (16) is written before exit (18): the peek must step over it
            Record.newBuilder()
                .setNum(1L << 40)
                .setControl(Control.newBuilder().setAlwaysSend(true).setMailboxSlot("x"))
                .setExit(RunExitRecord.newBuilder().setExitCode(1))
                .setUuid("u")
                .build(),
            Record.newBuilder().setRun(RunRecord.newBuilder().setRunId("r")).build(),
            Record.newBuilder().setStats(StatsRecord.getDefaultInstance()).build(),
            Record.newBuilder()
                .setRequest(Request.newBuilder().setStopStatus(StopStatusRequest.getDefaultInstance()))
                .build(),
            Record.newBuilder().setNum(5).build());
    for (Record record : records) {
      assertEquals(record.getRecordTypeCase(), RecordPeek.kind(record.toByteArray()), record.toString());
    }
  }

  @Test
  void bytesItCannotFollowAreLeftToTheParser() {
    assertEquals(Record.RecordTypeCase.RECORDTYPE_NOT_SET, RecordPeek.kind(new byte[] {(byte) 0x80}));
    assertEquals(Record.RecordTypeCase.RECORDTYPE_NOT_SET, RecordPeek.kind(new byte[] {0x0f}));
    assertEquals(Record.RecordTypeCase.RECORDTYPE_NOT_SET, RecordPeek.kind(new byte[0]));
  }
}
