package dev.runbus.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.runbus.Mode;
import dev.runbus.RunResult;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The CLI as a user runs it: demo and bench write runs, and both {@code inspect} and an independent
 * reader (a separate Python implementation of the format, run as a child process) accept them.
 */
class CliTest {

  @TempDir Path dir;

  record Outcome(int code, String out, String err) {}

  static synchronized Outcome run(String... args) {
    PrintStream stdout = System.out;
    PrintStream stderr = System.err;
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    try {
      System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
      System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
      int code = RunbusCli.commandLine().execute(args);
      return new Outcome(
          code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    } finally {
      System.setOut(stdout);
      System.setErr(stderr);
    }
  }

  static Path onlyLog(Path root) throws IOException {
    try (Stream<Path> files = Files.walk(root)) {
      List<Path> logs = files.filter(p -> p.toString().endsWith(".wandb")).toList();
      assertEquals(1, logs.size(), logs.toString());
      return logs.get(0);
    }
  }

  static Outcome python(Path log) throws Exception {
    Path script = Path.of("src/test/python/wandb_log_reader.py").toAbsolutePath();
    Process p = new ProcessBuilder("python3", script.toString(), log.toString(), "--json").start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    String err = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
    assertTrue(p.waitFor(60, TimeUnit.SECONDS));
    return new Outcome(p.exitValue(), out, err);
  }

  @Test
  void everyCommandNamesTheVersion() {
    for (String[] command :
        new String[][] {
          {"--version"}, {"demo", "-V"}, {"server", "-V"}, {"server", "key", "list", "-V"},
          {"server", "bench", "--version"}, {"service", "-V"}
        }) {
      Outcome version = run(command);
      assertEquals(0, version.code(), String.join(" ", command) + ": " + version.err());
      assertTrue(
          version.out().startsWith("runbus "), String.join(" ", command) + ": " + version.out());
    }
  }

  @Test
  void demoTrainsAndEndsWithTheRunSummary() throws Exception {
    Outcome demo = run("demo", "--steps", "300", "--dir", dir.toString());
    assertEquals(0, demo.code(), demo.err());
    assertTrue(demo.err().contains("Run history:"), demo.err());
    assertTrue(demo.err().contains("Run summary:"), demo.err());
    assertTrue(demo.err().matches("(?s).*train/loss [▁▂▃▄▅▆▇█]{10,}.*"), demo.err());
    assertTrue(demo.err().contains("wandb sync"), demo.err());

    Path log = onlyLog(dir);
    Outcome inspect = run("inspect", log.toString(), "--json");
    assertEquals(0, inspect.code(), inspect.err());
    String[] lines = inspect.out().split("\n");
    JsonNode last = RecordJson.MAPPER.readTree(lines[lines.length - 1]);
    assertEquals("ok", last.get("status").asText());
    assertTrue(last.get("finished").asBoolean(), last.toString());

    // the loss really falls and the accuracy really rises
    double firstAcc = Double.NaN;
    double lastAcc = Double.NaN;
    for (String line : lines) {
      JsonNode record = RecordJson.MAPPER.readTree(line);
      JsonNode acc = record.path("history").path("item").path("val/accuracy");
      if (acc.isNumber()) {
        if (Double.isNaN(firstAcc)) {
          firstAcc = acc.asDouble();
        }
        lastAcc = acc.asDouble();
      }
    }
    assertTrue(lastAcc > firstAcc && lastAcc > 0.8, firstAcc + " -> " + lastAcc);

    Outcome independent = python(log);
    assertEquals(0, independent.code(), independent.err());
  }

  @Test
  void benchReportsItsFiguresAsJsonAndItsLogReadsBack() throws Exception {
    Outcome bench =
        run("bench", "--rows", "3000", "--metrics", "10", "--json", "--dir", dir.toString());
    assertEquals(0, bench.code(), bench.err());
    JsonNode figures = RecordJson.MAPPER.readTree(bench.out().trim());
    for (String field :
        List.of(
            "rows",
            "metrics",
            "rate",
            "init_ms",
            "log_rows_per_s",
            "log_p50_us",
            "log_p99_us",
            "finish_ms",
            "total_rows_per_s",
            "cpu_ms",
            "log_max_us",
            "heap_live_peak_mb",
            "heap_live_end_mb",
            "heap_max_mb",
            "gc_count",
            "wandb_file",
            "wandb_bytes")) {
      assertTrue(figures.has(field), field + " in " + figures);
    }
    assertEquals(3000, figures.get("rows").asLong());
    assertEquals(3000, figures.get("history_rows").asLong());
    Path log = Path.of(figures.get("wandb_file").asText());
    assertEquals(Files.size(log), figures.get("wandb_bytes").asLong());
    assertEquals(0, run("inspect", log.toString()).code());
    assertEquals(0, python(log).code());
  }

  @Test
  void inspectNamesTheOffsetOfACorruptChunkAndReportsATornTail() throws Exception {
    assertEquals(0, run("demo", "--steps", "50", "--dir", dir.toString()).code());
    Path log = onlyLog(dir);
    Path torn = dir.resolve("torn.wandb");
    byte[] bytes = Files.readAllBytes(log);
    Files.write(torn, java.util.Arrays.copyOf(bytes, bytes.length - 3));
    Outcome tornOutcome = run("inspect", torn.toString());
    assertEquals(InspectCommand.TORN, tornOutcome.code(), tornOutcome.err());
    assertTrue(tornOutcome.out().contains("torn tail at offset"), tornOutcome.out());

    Path corrupt = dir.resolve("corrupt.wandb");
    Files.copy(log, corrupt);
    try (RandomAccessFile file = new RandomAccessFile(corrupt.toFile(), "rw")) {
      file.seek(200);
      int b = file.read();
      file.seek(200);
      file.write(b ^ 0xff);
    }
    Outcome corruptOutcome = run("inspect", corrupt.toString());
    assertEquals(InspectCommand.CORRUPT, corruptOutcome.code());
    // the verdict once: on stdout, as for an intact or torn log, with the reason
    assertTrue(
        corruptOutcome.out().matches("(?s).*\ncorrupt chunk at offset \\d+: .+\n"),
        corruptOutcome.out());
    assertEquals("", corruptOutcome.err());
    Outcome corruptJson = run("inspect", corrupt.toString(), "--json");
    String[] lines = corruptJson.out().split("\n");
    JsonNode summary = RecordJson.MAPPER.readTree(lines[lines.length - 1]);
    assertEquals("corrupt", summary.get("status").asText());
    assertEquals(lines.length - 1, summary.get("records").asLong());
    assertTrue(summary.get("corrupt_offset").asLong() > 0, summary.toString());

    // a log cut at a record boundary before its exit record: intact, but the run never finished
    Path unfinished = dir.resolve("unfinished.wandb");
    List<dev.runbus.log.LogEntry> entries = new java.util.ArrayList<>();
    try (dev.runbus.log.LogReader reader = dev.runbus.log.LogReader.open(log)) {
      dev.runbus.log.LogEntry entry;
      while ((entry = reader.next()) != null) {
        entries.add(entry);
      }
    }
    try (dev.runbus.log.LogWriter writer = dev.runbus.log.LogWriter.create(unfinished)) {
      for (int i = 0; i < entries.size() / 2; i++) {
        byte[] payload = entries.get(i).payload();
        writer.append(payload, 0, payload.length);
      }
    }
    Outcome open = run("inspect", unfinished.toString());
    assertEquals(InspectCommand.OK, open.code(), open.err());
    assertTrue(open.out().contains("the run never finished"), open.out());

    // a chunk whose checksum is right but which holds no Record: corrupt, with a summary line too
    Path garbage = dir.resolve("garbage.wandb");
    try (dev.runbus.log.LogWriter writer = dev.runbus.log.LogWriter.create(garbage)) {
      byte[] junk = {(byte) 0xff, (byte) 0xff, (byte) 0xff, (byte) 0xff};
      writer.append(junk, 0, junk.length);
    }
    Outcome garbageJson = run("inspect", garbage.toString(), "--json");
    assertEquals(InspectCommand.CORRUPT, garbageJson.code());
    JsonNode garbageSummary = RecordJson.MAPPER.readTree(garbageJson.out().trim());
    assertEquals("corrupt", garbageSummary.get("status").asText());
    assertTrue(garbageSummary.get("finished").isNull(), garbageSummary.toString());
    assertTrue(
        garbageSummary.get("reason").asText().contains("no valid Record"),
        garbageSummary.toString());
    assertEquals("", garbageJson.err());

    Path notALog = Files.writeString(dir.resolve("x.wandb"), "hello world");
    Outcome notALogJson = run("inspect", notALog.toString(), "--json");
    assertEquals(InspectCommand.UNREADABLE, notALogJson.code());
    assertEquals(
        "unreadable", RecordJson.MAPPER.readTree(notALogJson.out().trim()).get("status").asText());
    assertEquals("", notALogJson.err());
  }

  @Test
  void everyCommandHasHelp() {
    for (String command : List.of("demo", "inspect", "bench", "service")) {
      Outcome help = run(command, "--help");
      assertEquals(0, help.code());
      assertTrue(help.out().contains("Usage: runbus " + command), help.out());
    }
    Outcome badRows = run("bench", "--rows", "-1");
    assertEquals(2, badRows.code());
    assertEquals("runbus: --rows must be at least 1, got -1\n", badRows.err());
    Outcome badRate = run("demo", "--lr", "0");
    assertEquals(2, badRate.code());
    assertEquals("runbus: --lr must be positive, got 0.0\n", badRate.err());
  }

  @Test
  void everyErrorLineHasTheOnePrefix() {
    Outcome unknownCommand = run("nope");
    assertEquals(2, unknownCommand.code());
    assertTrue(
        unknownCommand.err().startsWith("runbus: Unmatched argument at index 0: 'nope'\n"),
        unknownCommand.err());
    Outcome unknownOption = run("demo", "--bogus");
    assertEquals(2, unknownOption.code());
    assertTrue(
        unknownOption.err().startsWith("runbus: Unknown option: '--bogus'\nUsage: runbus demo"),
        unknownOption.err());
    Outcome missingFile = run("inspect");
    assertEquals(2, missingFile.code());
    assertTrue(
        missingFile.err().startsWith("runbus: Missing required parameter"), missingFile.err());
    Outcome noSuchFile = run("inspect", dir.resolve("absent.wandb").toString());
    assertEquals(InspectCommand.UNREADABLE, noSuchFile.code());
    assertEquals("runbus: no such file: " + dir.resolve("absent.wandb") + "\n", noSuchFile.err());
  }

  @Test
  void libraryAdviceIsSaidInCommandLineTerms() {
    assertEquals(
        "runbus: cannot start run x: y; point --dir (or WANDB_DIR) at a writable directory",
        CliMessages.line(
            "runbus: cannot start run x: y; point WANDB_DIR (or Settings.dir) at a"
                + " writable directory"));
    assertEquals(
        "runbus: online mode is not available; set WANDB_MODE=offline and sync later",
        CliMessages.line(
            "online mode is not available; set WANDB_MODE=offline (or"
                + " Settings.mode(Mode.OFFLINE)) and sync later"));
  }

  @Test
  void theOnlineDemoPointsAtTheRunInTheReadApi() {
    RunResult result =
        new RunResult(
            "abc", Mode.ONLINE, 0, null, null, 1, 1, 0, 1, 1, Map.of(), Map.of(),
            "http://127.0.0.1:8080/demo/runbus-demo/runs/abc", "");
    assertEquals(
        "http://127.0.0.1:8080/api/v1/entities/demo/projects/runbus-demo/runs/abc",
        DemoCommand.readApi(result));
  }

  @Test
  void demoTakesItsProjectFromTheOptionElseWandbProjectElseItsOwn() {
    assertEquals("mine", DemoCommand.project("mine", Map.of("WANDB_PROJECT", "env")));
    assertEquals("env", DemoCommand.project(null, Map.of("WANDB_PROJECT", "env")));
    assertEquals("runbus-demo", DemoCommand.project(null, Map.of("WANDB_PROJECT", " ")));
    assertEquals("runbus-demo", DemoCommand.project(null, Map.of()));
  }

  @Test
  void inspectCountsInTheSingularAndThePlural() throws Exception {
    Outcome one = run("inspect", SmallLogs.write(dir.resolve("one.wandb"), 0, true).toString());
    assertEquals(InspectCommand.OK, one.code(), one.err());
    assertTrue(
        one.out().matches("(?s).*\n1 record, \\d+ bytes, every checksum verified\n"), one.out());

    Outcome torn = run("inspect", SmallLogs.tornAt(dir.resolve("torn.wandb"), 3, 1).toString());
    assertEquals(InspectCommand.TORN, torn.code(), torn.err());
    assertTrue(torn.out().contains(" (3 bytes): "), torn.out());
    assertTrue(torn.out().endsWith("; the 1 record before it is intact\n"), torn.out());

    Outcome corrupt =
        run("inspect", SmallLogs.corruptAt(dir.resolve("corrupt.wandb"), 3, 1).toString());
    assertEquals(InspectCommand.CORRUPT, corrupt.code(), corrupt.err());
    assertTrue(corrupt.out().contains("; the 1 record before it is intact;"), corrupt.out());

    Outcome several =
        run("inspect", SmallLogs.corruptAt(dir.resolve("several.wandb"), 3, 2).toString());
    assertTrue(several.out().contains("; the 2 records before it are intact;"), several.out());
  }

  @Test
  void whetherARunFinishedIsUnknownWhenItsExitRecordLiesAfterACorruptChunk() throws Exception {
    Path corrupt = SmallLogs.corruptAt(dir.resolve("corrupt.wandb"), 3, 1);
    String[] lines = run("inspect", corrupt.toString(), "--json").out().split("\n");
    JsonNode summary = RecordJson.MAPPER.readTree(lines[lines.length - 1]);
    assertEquals("corrupt", summary.get("status").asText());
    assertTrue(summary.get("finished").isNull(), summary.toString());
    assertTrue(
        run("inspect", corrupt.toString())
            .out()
            .endsWith(
                "; whether the run finished is unknown (its exit record would come later)\n"));

    // intact logs say it for sure, either way
    Path finished = SmallLogs.write(dir.resolve("finished.wandb"), 3, true);
    Path open = SmallLogs.write(dir.resolve("open.wandb"), 3, false);
    assertTrue(lastJson(finished).get("finished").asBoolean());
    assertTrue(lastJson(open).get("finished").isBoolean());
    assertEquals(false, lastJson(open).get("finished").asBoolean());
  }

  private static JsonNode lastJson(Path log) throws IOException {
    String[] lines = run("inspect", log.toString(), "--json").out().split("\n");
    return RecordJson.MAPPER.readTree(lines[lines.length - 1]);
  }

  @Test
  void aTextFileIsSaidToBeTextNotShownAsHex() throws Exception {
    Path text = Files.writeString(dir.resolve("notes.wandb"), "hello world\nsecond line\n");
    Outcome inspect = run("inspect", text.toString());
    assertEquals(InspectCommand.UNREADABLE, inspect.code());
    assertEquals(
        "runbus: not a .wandb log: " + text + " is a text file (it begins \"hello world\")\n",
        inspect.err());
    assertEquals("", inspect.out());

    // a binary file that is not a log keeps the header's bytes, which say what it is
    Path binary = Files.write(dir.resolve("binary.wandb"), new byte[] {0, 1, 2, 3, 4, 5, 6, 7, 8});
    Outcome binaryInspect = run("inspect", binary.toString());
    assertEquals(InspectCommand.UNREADABLE, binaryInspect.code());
    assertTrue(binaryInspect.err().contains("found 00010203040506"), binaryInspect.err());
  }

  @Test
  void aRunThatCannotStartIsOneLineNamingTheFileInTheWay() throws Exception {
    Path file = Files.writeString(dir.resolve("not-a-dir.txt"), "x");
    Outcome demo = run("demo", "--steps", "5", "--dir", file.toString());
    assertEquals(1, demo.code(), demo.err());
    assertTrue(demo.err().startsWith("runbus: cannot start run "), demo.err());
    assertTrue(demo.err().contains(file + " is a file, not a directory"), demo.err());
    // the user at the command line is told about the option, not the library's Settings.dir
    assertTrue(
        demo.err().contains("point --dir (or WANDB_DIR) at a writable directory"), demo.err());
    assertFalse(demo.err().contains("Settings"), demo.err());
    assertEquals(1, demo.err().lines().count(), demo.err());
  }
}
