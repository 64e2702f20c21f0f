package dev.runbus.log;

import dev.runbus.proto.HeaderRecord;
import dev.runbus.proto.HistoryItem;
import dev.runbus.proto.HistoryRecord;
import dev.runbus.proto.HistoryStep;
import dev.runbus.proto.Record;
import dev.runbus.proto.RunExitRecord;
import dev.runbus.proto.SummaryItem;
import dev.runbus.proto.SummaryRecord;
import dev.runbus.proto.VersionInfo;
import java.util.Random;

/** Sample records for the log tests, without {@code num} (the writer sets it). */
final class TestRecords {

  private TestRecords() {}

  static Record header() {
    return Record.newBuilder()
        .setHeader(
            HeaderRecord.newBuilder()
                .setVersionInfo(
                    VersionInfo.newBuilder().setProducer("runbus 0.1.0").setMinConsumer("0.15.8")))
        .build();
  }

  /** A history row from alternating keys and JSON values. */
  static Record history(long step, String... keysAndJson) {
    HistoryRecord.Builder row =
        HistoryRecord.newBuilder().setStep(HistoryStep.newBuilder().setNum(step));
    for (int i = 0; i < keysAndJson.length; i += 2) {
      row.addItem(HistoryItem.newBuilder().setKey(keysAndJson[i]).setValueJson(keysAndJson[i + 1]));
    }
    return Record.newBuilder().setHistory(row).build();
  }

  /** A typical ~360-byte row: a dozen metrics plus W&B's _step/_runtime/_timestamp. */
  static Record typicalRow(long step, Random random) {
    HistoryRecord.Builder row =
        HistoryRecord.newBuilder().setStep(HistoryStep.newBuilder().setNum(step));
    for (int i = 0; i < 10; i++) {
      row.addItem(
          HistoryItem.newBuilder()
              .setKey("train/metric_" + i)
              .setValueJson(Double.toString(random.nextGaussian())));
    }
    row.addItem(HistoryItem.newBuilder().setKey("_step").setValueJson(Long.toString(step)));
    row.addItem(HistoryItem.newBuilder().setKey("_runtime").setValueJson("12.5"));
    row.addItem(HistoryItem.newBuilder().setKey("_timestamp").setValueJson("1718000000.25"));
    return Record.newBuilder().setHistory(row).build();
  }

  /** A history row of roughly {@code bytes} bytes, so it spans several blocks. */
  static Record bigHistory(long step, int bytes, Random random) {
    HistoryRecord.Builder row =
        HistoryRecord.newBuilder().setStep(HistoryStep.newBuilder().setNum(step));
    StringBuilder values = new StringBuilder("[");
    while (values.length() < bytes) {
      values.append(random.nextInt(1_000_000)).append(", ");
    }
    values.append("0]");
    row.addItem(HistoryItem.newBuilder().setKey("big").setValueJson(values.toString()));
    row.addItem(
        HistoryItem.newBuilder().addNestedKey("nested").addNestedKey("loss").setValueJson("0.5"));
    return Record.newBuilder().setHistory(row).build();
  }

  static Record summary(String key, String valueJson) {
    return Record.newBuilder()
        .setSummary(
            SummaryRecord.newBuilder()
                .addUpdate(SummaryItem.newBuilder().setKey(key).setValueJson(valueJson))
                .addRemove(SummaryItem.newBuilder().setKey("gone")))
        .build();
  }

  static Record exit(int exitCode, int runtime) {
    return Record.newBuilder()
        .setExit(RunExitRecord.newBuilder().setExitCode(exitCode).setRuntime(runtime))
        .build();
  }

  static byte[] randomBytes(Random random, int length) {
    byte[] bytes = new byte[length];
    random.nextBytes(bytes);
    return bytes;
  }
}
