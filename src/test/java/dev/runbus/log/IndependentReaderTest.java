package dev.runbus.log;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.core.json.JsonReadFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.runbus.proto.FinalRecord;
import dev.runbus.proto.FooterRecord;
import dev.runbus.proto.HistoryItem;
import dev.runbus.proto.HistoryRecord;
import dev.runbus.proto.PartialHistoryRequest;
import dev.runbus.proto.Record;
import dev.runbus.proto.Request;
import dev.runbus.proto.RunRecord;
import dev.runbus.proto.SummaryItem;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Cross-checks LogWriter and LogReader against {@code wandb_log_reader.py}, a reader written
 * separately from the wire reference: it must accept what we write, decode the same records, and
 * judge damaged files exactly as LogReader does.
 */
class IndependentReaderTest {

  private static final ObjectMapper JSON =
      JsonMapper.builder().enable(JsonReadFeature.ALLOW_NON_NUMERIC_NUMBERS).build();
  private static final Pattern CORRUPT_OFFSET = Pattern.compile("corrupt at offset (\\d+)");

  @TempDir Path dir;

  @Test
  void acceptsOurLogAndDecodesEveryRecordAlike() throws Exception {
    Path file = dir.resolve("run.wandb");
    writeRun(file, new Random(1));

    PythonLogReader.Result python = PythonLogReader.run(file);

    assertEquals(PythonLogReader.OK, python.exitCode(), python.stderr());
    List<LogEntry> entries = LogFiles.readAll(file);
    assertEquals(entries.size() + 1, python.lines().size());
    for (int i = 0; i < entries.size(); i++) {
      assertSameRecord(entries.get(i), JSON.readTree(python.lines().get(i)));
    }
    JsonNode last = JSON.readTree(python.lines().get(entries.size()));
    assertEquals(entries.size(), last.get("records").asInt());
    assertTrue(last.get("ok").asBoolean());
  }

  @Test
  void acceptsAnEmptyLog() throws Exception {
    Path file = dir.resolve("empty.wandb");
    LogWriter.create(file).close();

    PythonLogReader.Result python = PythonLogReader.run(file);

    assertEquals(PythonLogReader.OK, python.exitCode(), python.stderr());
    assertEquals(List.of("{\"records\":0,\"ok\":true}"), python.lines());
  }

  @Test
  void reportsAFlippedByteAtTheSameOffsetAsLogReader() throws Exception {
    Path file = dir.resolve("flipped.wandb");
    List<Long> ends = writeRun(file, new Random(2));
    long middle = LogFiles.chunkStart(ends.get(ends.size() / 2));
    LogFiles.flipByte(file, middle + 7 + 3);

    Outcome java = javaOutcome(file);
    PythonLogReader.Result python = PythonLogReader.run(file);

    assertEquals(new Outcome("corrupt", middle), new Outcome(java.end(), java.at()));
    assertEquals(PythonLogReader.CORRUPT, python.exitCode(), python.stderr());
    assertTrue(python.stderr().contains("offset " + middle), python.stderr());
    assertEquals(java, pythonOutcome(python));
  }

  @Test
  void reportsATornTailWithExitStatusThree() throws Exception {
    Path file = dir.resolve("torn.wandb");
    writeRun(file, new Random(3));
    long cut = 3 * LogFormat.BLOCK_SIZE + 5_000;
    LogFiles.truncate(file, cut);

    Outcome java = javaOutcome(file);
    PythonLogReader.Result python = PythonLogReader.run(file);

    assertEquals("torn", java.end());
    assertEquals(PythonLogReader.TORN, python.exitCode(), python.stderr());
    JsonNode last = JSON.readTree(python.lines().get(python.lines().size() - 1));
    assertEquals(java.at(), last.get("torn_tail_offset").asLong());
    assertEquals(java, pythonOutcome(python));
  }

  @Test
  void judgesRandomDamageExactlyAsLogReader() throws Exception {
    Path original = dir.resolve("original.wandb");
    writeRun(original, new Random(4));
    long size = Files.size(original);
    Random random = new Random(44);
    for (int i = 0; i < 24; i++) {
      Path damaged = dir.resolve("damaged-" + i + ".wandb");
      Files.copy(original, damaged);
      if (i % 2 == 0) {
        LogFiles.flipByte(damaged, random.nextInt((int) size));
      } else {
        LogFiles.truncate(damaged, random.nextInt((int) size));
      }

      assertEquals(
          javaOutcome(damaged), pythonOutcome(PythonLogReader.run(damaged)), damaged.toString());
    }
  }

  @Test
  void rejectsAPersistedRequest() throws Exception {
    Path file = dir.resolve("request.wandb");
    try (LogWriter writer = LogWriter.create(file)) {
      writer.append(1, TestRecords.header());
      writer.append(
          2,
          Record.newBuilder()
              .setRequest(
                  Request.newBuilder()
                      .setPartialHistory(PartialHistoryRequest.getDefaultInstance()))
              .build());
    }

    PythonLogReader.Result python = PythonLogReader.run(file);

    assertEquals(PythonLogReader.CORRUPT, python.exitCode());
    assertTrue(python.stderr().contains("requests must not be persisted"), python.stderr());
  }

  @Test
  void rejectsNumsThatAreNotConsecutive() throws Exception {
    Path file = dir.resolve("gap.wandb");
    try (LogWriter writer = LogWriter.create(file)) {
      writer.append(1, TestRecords.header());
      writer.append(2, TestRecords.history(0, "a", "1"));
      writer.append(4, TestRecords.history(1, "a", "2"));
    }

    PythonLogReader.Result python = PythonLogReader.run(file);

    assertEquals(PythonLogReader.CORRUPT, python.exitCode());
    assertTrue(python.stderr().contains("num 4, expected 3"), python.stderr());
  }

  @Test
  void rejectsRecordTypesWandbSyncDoesNotKnow() throws Exception {
    Path file = dir.resolve("link.wandb");
    // Record{num: 1, link_artifact (24): {}} -- a type we must never write
    byte[] linkArtifact = {0x08, 0x01, (byte) 0xc2, 0x01, 0x00};
    try (LogWriter writer = LogWriter.create(file)) {
      writer.append(linkArtifact, 0, linkArtifact.length);
    }

    PythonLogReader.Result python = PythonLogReader.run(file);

    assertEquals(PythonLogReader.CORRUPT, python.exitCode());
    assertTrue(python.stderr().contains("link_artifact"), python.stderr());
  }

  /**
   * A realistic run: header, run, rows with non-finite values and nested keys, rows large enough to
   * span blocks, summary, exit, final, footer. Returns each record's end offset.
   */
  private static List<Long> writeRun(Path file, Random random) throws IOException {
    List<Long> ends = new ArrayList<>();
    long num = 0;
    try (LogWriter writer = LogWriter.create(file)) {
      ends.add(writer.append(++num, TestRecords.header()));
      ends.add(
          writer.append(
              ++num,
              Record.newBuilder()
                  .setRun(
                      RunRecord.newBuilder()
                          .setRunId("abc123")
                          .setProject("runbus")
                          .setEntity("me"))
                  .build()));
      for (int step = 0; step < 300; step++) {
        Record row;
        if (step % 50 == 7) {
          row = TestRecords.bigHistory(step, 20_000 + random.nextInt(60_000), random);
        } else if (step % 10 == 3) {
          row =
              TestRecords.history(
                  step,
                  "loss",
                  "NaN",
                  "grad",
                  "Infinity",
                  "low",
                  "-Infinity",
                  "text",
                  "\"caf\u00e9 \\u2603\"",
                  "_step",
                  Long.toString(step));
        } else {
          row = nestedRow(TestRecords.typicalRow(step, random));
        }
        ends.add(writer.append(++num, row));
        if (random.nextInt(20) == 0) {
          writer.flush();
        }
      }
      ends.add(
          writer.append(++num, TestRecords.summary("best", "{\"loss\": 0.25, \"at\": [1, 2]}")));
      ends.add(writer.append(++num, TestRecords.exit(-2, 77)));
      ends.add(
          writer.append(
              ++num, Record.newBuilder().setFinal(FinalRecord.getDefaultInstance()).build()));
      ends.add(
          writer.append(
              ++num, Record.newBuilder().setFooter(FooterRecord.getDefaultInstance()).build()));
    }
    return ends;
  }

  private static Record nestedRow(Record row) {
    HistoryRecord history =
        row.getHistory().toBuilder()
            .addItem(
                HistoryItem.newBuilder()
                    .addNestedKey("eval")
                    .addNestedKey("acc")
                    .setValueJson("0.75"))
            .build();
    return row.toBuilder().setHistory(history).build();
  }

  private static void assertSameRecord(LogEntry entry, JsonNode python) throws IOException {
    Record record = Record.parseFrom(entry.payload());
    String where = "record at offset " + entry.offset();
    assertEquals(entry.offset(), python.get("offset").asLong(), where);
    assertEquals(record.getNum(), python.get("num").asLong(), where);
    assertEquals(
        record.getRecordTypeCase().name().toLowerCase(java.util.Locale.ROOT),
        python.get("type").asText(),
        where);
    switch (record.getRecordTypeCase()) {
      case HISTORY -> {
        ObjectNode items = JSON.createObjectNode();
        for (HistoryItem item : record.getHistory().getItemList()) {
          items.set(
              itemKey(item.getKey(), item.getNestedKeyList()), JSON.readTree(item.getValueJson()));
        }
        assertEquals(items, python.get("items"), where);
        assertEquals(record.getHistory().getStep().getNum(), python.get("step").asLong(), where);
      }
      case SUMMARY -> {
        ObjectNode update = JSON.createObjectNode();
        for (SummaryItem item : record.getSummary().getUpdateList()) {
          update.set(
              itemKey(item.getKey(), item.getNestedKeyList()), JSON.readTree(item.getValueJson()));
        }
        assertEquals(update, python.get("update"), where);
        assertEquals(
            record.getSummary().getRemove(0).getKey(), python.get("remove").get(0).asText(), where);
      }
      case EXIT -> {
        assertEquals(record.getExit().getExitCode(), python.get("exit_code").asInt(), where);
        assertEquals(record.getExit().getRuntime(), python.get("runtime").asInt(), where);
      }
      default -> {}
    }
  }

  /** The Python reader shows a nested key as its labels joined with dots. */
  private static String itemKey(String key, List<String> nestedKey) {
    return nestedKey.isEmpty() ? key : String.join(".", nestedKey);
  }

  /** How a reader ended ("ok", "torn" or "corrupt", and where) and the records it returned. */
  private record Outcome(String end, long at, List<Long> offsets) {
    Outcome(String end, long at) {
      this(end, at, List.of());
    }
  }

  private static Outcome javaOutcome(Path file) throws IOException {
    List<Long> offsets = new ArrayList<>();
    try (LogReader reader = LogReader.open(file)) {
      for (LogEntry entry = reader.next(); entry != null; entry = reader.next()) {
        offsets.add(entry.offset());
      }
      TornTail tail = reader.tornTail();
      return tail == null
          ? new Outcome("ok", -1, offsets)
          : new Outcome("torn", tail.offset(), offsets);
    } catch (LogFormatException e) {
      return new Outcome("corrupt", 0, offsets);
    } catch (CorruptLogException e) {
      return new Outcome("corrupt", e.offset(), offsets);
    }
  }

  private static Outcome pythonOutcome(PythonLogReader.Result python) throws IOException {
    List<Long> offsets = new ArrayList<>();
    long tornAt = -1;
    for (String line : python.lines()) {
      JsonNode node = JSON.readTree(line);
      if (node.has("offset")) {
        offsets.add(node.get("offset").asLong());
      } else if (node.has("torn_tail_offset")) {
        tornAt = node.get("torn_tail_offset").asLong();
      }
    }
    switch (python.exitCode()) {
      case PythonLogReader.OK:
        return new Outcome("ok", -1, offsets);
      case PythonLogReader.TORN:
        return new Outcome("torn", tornAt, offsets);
      case PythonLogReader.CORRUPT:
        Matcher m = CORRUPT_OFFSET.matcher(python.stderr());
        assertTrue(m.find(), "no offset in: " + python.stderr());
        return new Outcome("corrupt", Long.parseLong(m.group(1)), offsets);
      default:
        throw new AssertionError(
            "unexpected exit status " + python.exitCode() + ": " + python.stderr());
    }
  }
}
