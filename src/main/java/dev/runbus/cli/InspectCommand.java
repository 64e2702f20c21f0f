package dev.runbus.cli;

import com.fasterxml.jackson.databind.node.ObjectNode;
import com.google.protobuf.InvalidProtocolBufferException;
import dev.runbus.log.CorruptLogException;
import dev.runbus.log.LogEntry;
import dev.runbus.log.LogFormatException;
import dev.runbus.log.LogReader;
import dev.runbus.log.TornTail;
import dev.runbus.proto.Record;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.OutputStreamWriter;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * Prints every record of a {@code .wandb} log and verifies every checksum. Exit codes: 0 the log is
 * intact, 1 it is corrupt (the first bad chunk's offset is named), 2 it could not be read at all, 3
 * it ends in a torn record (a writer killed mid-write; everything before it is intact).
 */
@Command(
    name = "inspect",
    mixinStandardHelpOptions = true,
    description = "Print every record of a .wandb log and verify every checksum.",
    exitCodeListHeading = "Exit codes:%n",
    exitCodeList = {
      "0:the log is intact",
      "1:a chunk is corrupt (its offset is printed)",
      "2:the file cannot be read as a .wandb log",
      "3:the log ends in a torn record; everything before it is intact"
    })
final class InspectCommand implements Callable<Integer> {

  static final int OK = 0;
  static final int CORRUPT = 1;
  static final int UNREADABLE = 2;
  static final int TORN = 3;

  @Parameters(paramLabel = "RUN.wandb", description = "The log to read.")
  Path file;

  @Option(
      names = "--json",
      description =
          "One JSON object per record, then one summary object whose status is ok, torn, corrupt"
              + " or unreadable, and whose finished says whether the run's exit record is in the"
              + " log."
              + " NaN and Infinity are written bare, as W&B writes them.")
  boolean json;

  @Override
  public Integer call() {
    PrintWriter out =
        new PrintWriter(
            new BufferedWriter(new OutputStreamWriter(System.out, StandardCharsets.UTF_8)));
    try {
      return inspect(out);
    } finally {
      out.flush();
    }
  }

  private int inspect(PrintWriter out) {
    long records = 0;
    long expectedNum = 1;
    boolean exited = false;
    try (LogReader reader = LogReader.open(file)) {
      LogEntry entry;
      while ((entry = reader.next()) != null) {
        Record record;
        try {
          record = Record.parseFrom(entry.payload());
        } catch (InvalidProtocolBufferException e) {
          return corrupt(
              out,
              records,
              exited,
              entry.offset(),
              "the record's checksum is right but it is not a valid Record ("
                  + e.getMessage()
                  + ")");
        }
        records++;
        if (record.getNum() != 0 && record.getNum() != expectedNum) {
          warn(
              out,
              "record at offset "
                  + entry.offset()
                  + " has num "
                  + record.getNum()
                  + ", expected "
                  + expectedNum);
        }
        expectedNum = record.getNum() + 1;
        exited |= record.hasExit();
        print(out, entry, record);
      }
      TornTail torn = reader.tornTail();
      long size = Files.size(file);
      if (torn != null) {
        summary(
            out,
            records,
            size,
            "torn",
            torn.offset(),
            "torn tail at offset "
                + torn.offset()
                + " ("
                + torn.bytes()
                + " bytes): "
                + torn.reason()
                + "; the "
                + records
                + " records before it are intact",
            exited);
        return TORN;
      }
      summary(
          out,
          records,
          size,
          "ok",
          -1,
          records
              + " records, "
              + size
              + " bytes, every checksum verified"
              + (exited ? "" : "; the run never finished (no exit record: it is still open, or it"
                  + " crashed or was killed)"),
          exited);
      return OK;
    } catch (CorruptLogException e) {
      return corrupt(
          out, records, exited, e.offset(), e.reason() + " (after " + records + " intact records)");
    } catch (LogFormatException e) {
      return unreadable(out, e.getMessage());
    } catch (NoSuchFileException e) {
      return unreadable(out, "no such file: " + file);
    } catch (IOException e) {
      return unreadable(out, "cannot read " + file + ": " + e.getMessage());
    }
  }

  private void print(PrintWriter out, LogEntry entry, Record record) {
    if (json) {
      ObjectNode line = RecordJson.MAPPER.createObjectNode();
      line.put("offset", entry.offset());
      line.put("num", record.getNum());
      line.put("type", type(record));
      line.setAll(RecordJson.toJson(record.toBuilder().clearNum().build()));
      out.println(line);
    } else {
      ObjectNode body = RecordJson.toJson(record.toBuilder().clearNum().build());
      out.printf(
          "%6d  @%-10d %-12s %s%n",
          record.getNum(),
          entry.offset(),
          type(record),
          body.has(type(record)) ? body.get(type(record)) : "");
    }
  }

  static String type(Record record) {
    return record.getRecordTypeCase() == Record.RecordTypeCase.RECORDTYPE_NOT_SET
        ? "unknown"
        : record.getRecordTypeCase().name().toLowerCase(java.util.Locale.ROOT);
  }

  /**
   * The last line on stdout: {@code text}, or with --json the counts, the status and, for a torn or
   * corrupt log, where it goes wrong ({@code torn_offset}, {@code corrupt_offset}).
   */
  private void summary(
      PrintWriter out,
      long records,
      long bytes,
      String status,
      long offset,
      String text,
      boolean exited) {
    if (json) {
      ObjectNode line = RecordJson.MAPPER.createObjectNode();
      line.put("records", records).put("bytes", bytes).put("status", status);
      if (offset >= 0) {
        line.put(status + "_offset", offset);
      }
      line.put("finished", exited);
      out.println(line);
    } else {
      out.println(text);
    }
  }

  /** A corrupt log: the summary line on stdout, as for an intact or torn one; why on stderr. */
  private int corrupt(PrintWriter out, long records, boolean exited, long offset, String reason) {
    long size;
    try {
      size = Files.size(file);
    } catch (IOException e) {
      size = -1;
    }
    summary(
        out,
        records,
        size,
        "corrupt",
        offset,
        "corrupt chunk at offset " + offset + "; the " + records + " records before it are intact",
        exited);
    out.flush();
    System.err.println("inspect: " + file + " is corrupt at offset " + offset + ": " + reason);
    return CORRUPT;
  }

  /** Not a log at all: with --json still one summary line, so a script's last line is JSON. */
  private int unreadable(PrintWriter out, String reason) {
    if (json) {
      ObjectNode line = RecordJson.MAPPER.createObjectNode();
      line.put("records", 0).put("status", "unreadable").put("reason", reason);
      out.println(line);
    }
    out.flush();
    System.err.println("inspect: " + reason);
    return UNREADABLE;
  }

  private void warn(PrintWriter out, String text) {
    out.flush();
    System.err.println("inspect: warning: " + text);
  }
}
