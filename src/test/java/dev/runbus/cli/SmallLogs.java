package dev.runbus.cli;

import dev.runbus.log.LogEntry;
import dev.runbus.log.LogReader;
import dev.runbus.log.LogWriter;
import dev.runbus.proto.HistoryItem;
import dev.runbus.proto.HistoryRecord;
import dev.runbus.proto.Record;
import dev.runbus.proto.RunExitRecord;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** Small .wandb logs for the inspect tests: a few history rows and an exit record, then damage. */
final class SmallLogs {

  private SmallLogs() {}

  static Record row(long step) {
    return Record.newBuilder()
        .setNum(step + 1)
        .setHistory(
            HistoryRecord.newBuilder()
                .addItem(HistoryItem.newBuilder().setKey("loss").setValueJson("0.5"))
                .addItem(
                    HistoryItem.newBuilder().setKey("_step").setValueJson(Long.toString(step))))
        .build();
  }

  static Record exit(long num) {
    return Record.newBuilder()
        .setNum(num)
        .setExit(RunExitRecord.newBuilder().setExitCode(0).setRuntime(1))
        .build();
  }

  /** {@code rows} history rows, then the exit record when {@code finished}. */
  static Path write(Path file, int rows, boolean finished) throws IOException {
    try (LogWriter writer = LogWriter.create(file)) {
      for (int i = 0; i < rows; i++) {
        byte[] payload = row(i).toByteArray();
        writer.append(payload, 0, payload.length);
      }
      if (finished) {
        byte[] payload = exit(rows + 1).toByteArray();
        writer.append(payload, 0, payload.length);
      }
    }
    return file;
  }

  static List<LogEntry> entries(Path file) throws IOException {
    List<LogEntry> entries = new ArrayList<>();
    try (LogReader reader = LogReader.open(file)) {
      for (LogEntry entry = reader.next(); entry != null; entry = reader.next()) {
        entries.add(entry);
      }
    }
    return entries;
  }

  /** A finished log whose record {@code index} (from 0) has a damaged payload byte. */
  static Path corruptAt(Path file, int rows, int index) throws IOException {
    write(file, rows, true);
    long offset = entries(file).get(index).offset();
    try (RandomAccessFile raf = new RandomAccessFile(file.toFile(), "rw")) {
      long inPayload = offset + dev.runbus.log.LogFormat.CHUNK_HEADER_SIZE + 1;
      raf.seek(inPayload);
      int b = raf.read();
      raf.seek(inPayload);
      raf.write(b ^ 0x40);
    }
    return file;
  }

  /** A finished log cut 3 bytes into record {@code index}: a torn tail after the ones before. */
  static Path tornAt(Path file, int rows, int index) throws IOException {
    write(file, rows, true);
    long offset = entries(file).get(index).offset();
    try (RandomAccessFile raf = new RandomAccessFile(file.toFile(), "rw")) {
      raf.setLength(offset + 3);
    }
    return file;
  }
}
