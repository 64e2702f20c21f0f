package dev.runbus.console;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import com.google.protobuf.Timestamp;
import dev.runbus.proto.OutputRawRecord;
import dev.runbus.proto.OutputRecord;
import dev.runbus.proto.Record;
import dev.runbus.proto.StatsRecord;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** files/output.log from console records: W&B's lines, one line state per stream, no timestamps. */
class OutputLogTest {

  @TempDir Path dir;

  private static Record raw(boolean stderr, String text) {
    return Record.newBuilder()
        .setOutputRaw(
            OutputRawRecord.newBuilder()
                .setOutputType(
                    stderr ? OutputRawRecord.OutputType.STDERR : OutputRawRecord.OutputType.STDOUT)
                .setTimestamp(Timestamp.newBuilder().setSeconds(1_700_000_000))
                .setLine(text))
        .build();
  }

  @Test
  void linesProgressBarsAndStreamsAsW_BWritesThem() throws Exception {
    Path file = dir.resolve("output.log");
    OutputLog log = new OutputLog(file);
    log.accept(Record.newBuilder().setStats(StatsRecord.getDefaultInstance()).build());
    assertFalse(Files.exists(file), "made with the first console text, not before");
    log.accept(raw(false, "epoch 1\nloading"));
    log.accept(raw(true, "a warning\n")); // not inside stdout's unfinished line
    log.accept(raw(false, "... done\n 10%\r 50%\r"));
    log.accept(raw(false, "100%\n"));
    log.accept(
        Record.newBuilder()
            .setOutput(OutputRecord.newBuilder().setLine("an old-mode line"))
            .build());
    log.accept(raw(true, "unfinished at the end"));
    log.flush();
    assertEquals(List.of("epoch 1", "a warning", "loading... done", "100%", "an old-mode line"),
        Files.readAllLines(file));
    log.close();
    assertEquals(
        List.of(
            "epoch 1", "a warning", "loading... done", "100%", "an old-mode line",
            "unfinished at the end"),
        Files.readAllLines(file));
    assertEquals(6, log.lines());
  }
}
