package dev.runbus.sync;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.runbus.log.LogWriter;
import dev.runbus.proto.ConfigRecord;
import dev.runbus.proto.Control;
import dev.runbus.proto.HistoryItem;
import dev.runbus.proto.HistoryRecord;
import dev.runbus.proto.Record;
import dev.runbus.proto.RecordBatch;
import dev.runbus.proto.RunExitRecord;
import dev.runbus.proto.RunRecord;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What sync reads: which logs a path names, and what of a log goes to the Sender. */
class SyncInputsTest {

  @TempDir Path dir;

  private static Record row(long step) {
    return Record.newBuilder()
        .setHistory(
            HistoryRecord.newBuilder()
                .addItem(HistoryItem.newBuilder().setKey("_step").setValueJson("" + step)))
        .build();
  }

  private static Path log(Path file, int rows, boolean exited) throws IOException {
    Files.createDirectories(file.getParent());
    try (LogWriter writer = LogWriter.create(file)) {
      List<Record> records = new ArrayList<>();
      records.add(Record.newBuilder().setRun(RunRecord.newBuilder().setRunId("abc")).build());
      records.add(Record.newBuilder().setConfig(ConfigRecord.getDefaultInstance()).build());
      for (int i = 0; i < rows; i++) {
        records.add(row(i));
      }
      if (exited) {
        records.add(
            Record.newBuilder()
                .setExit(RunExitRecord.newBuilder().setExitCode(2))
                .setControl(Control.newBuilder().setAlwaysSend(true))
                .build());
      }
      for (Record record : records) {
        byte[] bytes = record.toByteArray();
        writer.append(bytes, 0, bytes.length);
      }
    }
    return file;
  }

  @Test
  void aPathNamesALogARunDirectoryOrADirectoryOfRunsInStartOrder() throws Exception {
    Path wandb = dir.resolve("wandb");
    Path late = log(wandb.resolve("offline-run-20261202_120000-bbb/run-bbb.wandb"), 1, true);
    Path early = log(wandb.resolve("run-20261201_090000-aaa/run-aaa.wandb"), 1, true);
    Files.createSymbolicLink(wandb.resolve("latest-run"), late.getParent().getFileName());

    List<SyncTargets.Target> all = SyncTargets.of(wandb);
    assertEquals(List.of(early, late), all.stream().map(SyncTargets.Target::logFile).toList());
    assertTrue(all.get(0).online(), "run-… was an online run");
    assertFalse(all.get(1).online());
    assertEquals(List.of(late), SyncTargets.of(late.getParent()).stream().map(t -> t.logFile()).toList());
    assertEquals(List.of(late), SyncTargets.of(late).stream().map(t -> t.logFile()).toList());

    Files.writeString(dir.resolve("notes.txt"), "x");
    IllegalArgumentException notALog =
        assertThrows(IllegalArgumentException.class, () -> SyncTargets.of(dir.resolve("notes.txt")));
    assertTrue(notALog.getMessage().contains("not a .wandb log"), notALog.getMessage());
    IllegalArgumentException empty =
        assertThrows(IllegalArgumentException.class, () -> SyncTargets.of(dir.resolve("absent")));
    assertTrue(empty.getMessage().contains("does not exist"), empty.getMessage());
    Files.createDirectories(dir.resolve("none"));
    IllegalArgumentException noRun =
        assertThrows(IllegalArgumentException.class, () -> SyncTargets.of(dir.resolve("none")));
    assertTrue(noRun.getMessage().contains("holds no run"), noRun.getMessage());
  }

  @Test
  void theSenderIsHandedTheRunConfigAndExitInOrderButNoHistory() throws Exception {
    Path file = log(dir.resolve("run-abc.wandb"), 1000, true);
    List<Record> handed = new ArrayList<>();
    List<Integer> sizes = new ArrayList<>();
    LogReplay.replay(
        file,
        (RecordBatch batch) -> {
          handed.addAll(batch.getRecordList());
          sizes.add(batch.getRecordCount());
        });
    assertEquals(
        List.of(Record.RecordTypeCase.RUN, Record.RecordTypeCase.CONFIG, Record.RecordTypeCase.EXIT),
        handed.stream().map(Record::getRecordTypeCase).toList());
    LogReplay.Scan scan = LogReplay.scan(file);
    assertEquals("abc", scan.run().getRunId());
    assertTrue(scan.exited());
    assertNull(scan.tornTail());
    assertEquals(Files.size(file), scan.intactBytes());
  }

  @Test
  void aKilledRunIsReadUpToItsLastIntactRecord() throws Exception {
    Path file = log(dir.resolve("run-abc.wandb"), 50, false);
    long full = Files.size(file);
    try (RandomAccessFile raf = new RandomAccessFile(file.toFile(), "rw")) {
      raf.setLength(full - 5); // the last row cut mid-write
    }
    LogReplay.Scan scan = LogReplay.scan(file);
    assertFalse(scan.exited());
    assertNotNull(scan.tornTail());
    assertEquals(scan.tornTail().offset(), scan.intactBytes());
    assertTrue(scan.intactBytes() < full - 5);
  }

  @Test
  void aLogWithoutARunRecordIsNotARunToSync() throws Exception {
    Path file = dir.resolve("run-x.wandb");
    try (LogWriter writer = LogWriter.create(file)) {
      byte[] bytes = row(0).toByteArray();
      writer.append(bytes, 0, bytes.length);
    }
    IOException e = assertThrows(IOException.class, () -> LogReplay.scan(file));
    assertTrue(e.getMessage().contains("holds no run record"), e.getMessage());
  }
}
