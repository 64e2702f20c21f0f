package dev.runbus.filestream;

import dev.runbus.log.LogFormat;
import dev.runbus.log.LogWriter;
import dev.runbus.proto.HistoryItem;
import dev.runbus.proto.HistoryRecord;
import dev.runbus.proto.HistoryStep;
import dev.runbus.proto.Record;
import dev.runbus.writer.RecordWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * How fast the FileStream turns a log's rows into posts on one core: log reading, row to line,
 * summary and request bodies, no HTTP. Run by hand: {@code java ... ConversionSpeed [rows]}.
 */
public final class ConversionSpeed {

  public static void main(String[] args) throws Exception {
    long rows = args.length > 0 ? Long.parseLong(args[0]) : 1_000_000;
    Path dir = Files.createTempDirectory("conversion");
    Path log = dir.resolve("run.wandb");
    try (LogWriter writer = LogWriter.create(log)) {
      RecordWriter records = new RecordWriter(writer);
      for (long step = 0; step < rows; step++) {
        HistoryRecord.Builder h = HistoryRecord.newBuilder();
        for (int j = 0; j < 10; j++) {
          h.addItem(HistoryItem.newBuilder().setKey("m" + j).setValueJson(Double.toString(step * 0.001 + j)));
        }
        h.addItem(HistoryItem.newBuilder().setKey("_step").setValueJson(Long.toString(step)));
        h.addItem(HistoryItem.newBuilder().setKey("_runtime").setValueJson("12.345678"));
        h.addItem(HistoryItem.newBuilder().setKey("_timestamp").setValueJson("1795731334.456746"));
        h.setStep(HistoryStep.newBuilder().setNum(step));
        records.write(Record.newBuilder().setHistory(h).build());
      }
    }
    for (int round = 0; round < 5; round++) {
      long t0 = System.nanoTime();
      LogTail tail = new LogTail(log, LogFormat.FILE_HEADER_SIZE);
      RecordConverter converter = new RecordConverter(0, 0, 0, 0);
      RequestBuilder builder = new RequestBuilder(RequestBuilder.MAX_REQUEST_BYTES);
      long posts = 0;
      long bytes = 0;
      while (true) {
        LogTail.Fill fill = tail.fill(converter, builder, true, 4 << 20);
        if (fill == LogTail.Fill.FULL || fill == LogTail.Fill.END) {
          SummaryState s = converter.summary();
          PostBody post = builder.seal(s.changed() ? s : null, List.of(), null,
              converter.historyLines(), converter.eventsLines(), converter.consoleLine());
          s.sent();
          posts++;
          bytes += post.body().length();
          if (fill == LogTail.Fill.END) {
            break;
          }
        }
      }
      double seconds = (System.nanoTime() - t0) / 1e9;
      System.out.printf(
          "%d rows in %.2f s: %.0f rows/s, %d posts, %.1f MB%n",
          converter.historyLines(), seconds, converter.historyLines() / seconds, posts, bytes / 1e6);
    }
    Files.delete(log);
    Files.delete(dir);
  }
}
