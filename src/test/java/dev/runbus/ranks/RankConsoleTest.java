package dev.runbus.ranks;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

import dev.runbus.proto.OutputRawRecord;
import dev.runbus.proto.RankIdentity;
import dev.runbus.proto.Record;
import org.junit.jupiter.api.Test;

class RankConsoleTest {

  private static Record output(String text) {
    return Record.newBuilder()
        .setOutputRaw(
            OutputRawRecord.newBuilder().setOutputType(OutputRawRecord.OutputType.STDERR).setLine(text))
        .build();
  }

  private static RankIdentity rank(int rank, int world) {
    return RankIdentity.newBuilder().setRank(rank).setWorldSize(world).build();
  }

  @Test
  void everyLineOfARankOfSeveralStartsWithItsLabel() {
    Record labelled = RankConsole.labelled(rank(1, 3), output("epoch 1\nepoch 2\n"));
    assertEquals("[rank1] epoch 1\n[rank1] epoch 2\n", labelled.getOutputRaw().getLine());
    assertEquals(OutputRawRecord.OutputType.STDERR, labelled.getOutputRaw().getOutputType(), "the stream is kept");
  }

  @Test
  void aProgressBarKeepsItsLabelAfterEachCarriageReturn() {
    assertEquals("[rank0] 10%\r[rank0] 20%\r[rank0] done\n", RankConsole.label("10%\r20%\rdone\n", "[rank0] "));
    assertEquals("[r] a\r\n[r] b\n", RankConsole.label("a\r\nb\n", "[r] "), "a CRLF ending is one line end");
  }

  @Test
  void emptyLinesAndAnUnfinishedLastLine() {
    assertEquals("\n[r] x\n\n[r] tail", RankConsole.label("\nx\n\ntail", "[r] "));
    assertEquals("", RankConsole.label("", "[r] "));
  }

  @Test
  void aRunWithOneWriterKeepsItsLinesAsPrinted() {
    Record record = output("plain\n");
    assertSame(record, RankConsole.labelled(rank(0, 1), record));
  }
}
