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
              + " log (null when a corrupt chunk hides it)."
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
              "the chunk's checksum is right but it holds no valid Record ("
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
            new Verdict(records, size, "torn", torn.offset(), exited, null),
            "torn tail at offset "
                + torn.offset()
                + " ("
                + count(torn.bytes(), "byte")
                + "): "
                + torn.reason()
                + "; "
                + intactBefore(records));
        return TORN;
      }
      summary(
          out,
          new Verdict(records, size, "ok", -1, exited, null),
          count(records, "record")
              + ", "
              + count(size, "byte")
              + ", every checksum verified"
              + (exited
                  ? ""
                  : "; the run never finished (no exit record: it is still open, or it"
                      + " crashed or was killed)"));
      return OK;
    } catch (CorruptLogException e) {
      return corrupt(out, records, exited, e.offset(), e.reason());
    } catch (LogFormatException e) {
      String text = TextFiles.beginning(file);
      return unreadable(
          out,
          text == null
              ? e.getMessage()
              : "not a .wandb log: " + file + " is a text file (it begins \"" + text + "\")");
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
   * What inspect found. {@code finished} is true or false when the whole log was read (or the exit
   * record came before the damage), null when it is unknown: the exit record may lie after a
   * corrupt chunk.
   */
  private record Verdict(
      long records, long bytes, String status, long offset, Boolean finished, String reason) {}

  /**
   * The verdict, once, as the last line on stdout: {@code text}, or with --json the counts, the
   * status, whether the run finished and, for a torn or corrupt log, where it goes wrong ({@code
   * torn_offset}, {@code corrupt_offset}) and why.
   */
  private void summary(PrintWriter out, Verdict verdict, String text) {
    if (json) {
      ObjectNode line = RecordJson.MAPPER.createObjectNode();
      line.put("records", verdict.records())
          .put("bytes", verdict.bytes())
          .put("status", verdict.status());
      if (verdict.offset() >= 0) {
        line.put(verdict.status() + "_offset", verdict.offset());
      }
      if (verdict.reason() != null) {
        line.put("reason", verdict.reason());
      }
      line.put("finished", verdict.finished()); // null: unknown
      out.println(line);
    } else {
      out.println(text);
    }
  }

  /**
   * A corrupt log: the verdict on stdout, as for an intact or torn one, with the reason. Whether
   * the run finished is known only when its exit record came before the corrupt chunk.
   */
  private int corrupt(PrintWriter out, long records, boolean exited, long offset, String reason) {
    long size;
    try {
      size = Files.size(file);
    } catch (IOException e) {
      size = -1;
    }
    summary(
        out,
        new Verdict(records, size, "corrupt", offset, exited ? Boolean.TRUE : null, reason),
        "corrupt chunk at offset "
            + offset
            + ": "
            + reason
            + "; "
            + intactBefore(records)
            + (exited
                ? ", the run's exit record among them"
                : "; whether the run finished is unknown (its exit record would come later)"));
    return CORRUPT;
  }

  /**
   * Not a log at all: one line on stderr, or with --json one summary line on stdout (a script's
   * last line is JSON), which carries the reason.
   */
  private int unreadable(PrintWriter out, String reason) {
    if (json) {
      ObjectNode line = RecordJson.MAPPER.createObjectNode();
      line.put("records", 0).put("status", "unreadable").put("reason", reason);
      out.println(line);
    } else {
      out.flush();
      System.err.println(CliMessages.line(reason));
    }
    return UNREADABLE;
  }

  static String count(long n, String noun) {
    return n + " " + noun + (n == 1 ? "" : "s");
  }

  static String intactBefore(long records) {
    if (records == 0) {
      return "no record comes before it";
    }
    return "the "
        + count(records, "record")
        + " before it "
        + (records == 1 ? "is" : "are")
        + " intact";
  }

  private void warn(PrintWriter out, String text) {
    out.flush();
    System.err.println(CliMessages.line("warning: " + text));
  }
}
