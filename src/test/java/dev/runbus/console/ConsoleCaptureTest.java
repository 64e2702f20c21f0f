package dev.runbus.console;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.runbus.RunLogs;
import dev.runbus.log.IndependentReader;
import dev.runbus.proto.OutputRawRecord;
import dev.runbus.proto.Record;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The console capture in real child JVMs ({@link ConsoleChild}) whose real stdout and stderr go to
 * files: what the terminal got (every byte once), what the log's {@code output_raw} records hold
 * and what {@code files/output.log} holds, line by line.
 */
class ConsoleCaptureTest {

  private static final Pattern THREAD_LINE = Pattern.compile("T(\\d) L(\\d+)");

  @TempDir Path dir;

  /** What a child left: its exit code, its terminal output, and the info it wrote. */
  private record Child(int exitCode, String stdout, String stderr, Map<String, String> info) {
    Path log(String name) {
      return Path.of(info.get(name + "-log"));
    }

    Path outputLog(String name) {
      return Path.of(info.get(name + "-dir")).resolve("files").resolve("output.log");
    }

    String describe() {
      return "exit " + exitCode + "\n--- stderr (end) ---\n" + tail(stderr) + "\n--- info ---\n" + info;
    }
  }

  private Child run(String mode) throws Exception {
    Path out = dir.resolve(mode + ".out");
    Path err = dir.resolve(mode + ".err");
    Path info = dir.resolve(mode + ".info");
    Path runs = Files.createDirectories(dir.resolve(mode));
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.add("-cp");
    command.add(System.getProperty("java.class.path"));
    command.add(ConsoleChild.class.getName());
    command.addAll(List.of(runs.toString(), info.toString(), mode));
    ProcessBuilder builder =
        new ProcessBuilder(command).redirectOutput(out.toFile()).redirectError(err.toFile());
    builder.environment().keySet().removeIf(k -> k.startsWith("WANDB_") || k.startsWith("RUNBUS_"));
    Process process = builder.start();
    // generous: only a deadlock takes this long
    boolean exited = process.waitFor(100, TimeUnit.SECONDS);
    if (!exited) {
      process.toHandle().descendants().forEach(ProcessHandle::destroyForcibly);
      process.destroyForcibly();
    }
    Map<String, String> infoMap = new HashMap<>();
    if (Files.exists(info)) {
      for (String line : Files.readAllLines(info)) {
        int space = line.indexOf(' ');
        infoMap.put(line.substring(0, space), line.substring(space + 1));
      }
    }
    Child child =
        new Child(
            exited ? process.exitValue() : -1,
            Files.readString(out, StandardCharsets.UTF_8),
            Files.readString(err, StandardCharsets.UTF_8),
            infoMap);
    assertTrue(exited, "the child is stuck (a deadlock?)\n" + child.describe());
    assertEquals(0, child.exitCode(), child.describe());
    return child;
  }

  @Test
  void eightThreadsPrintingAHundredThousandLinesLoseNoneAndShowEachOnce() throws Exception {
    Child child = run("threads");
    assertEquals("true", child.info().get("restored"), "System.out and System.err put back");

    // the terminal: every line once, the bars' every state once (a terminal shows another
    // thread's line after a bar's text, so lines are found in the raw bytes, each ends with \n)
    Map<Integer, List<Integer>> shownOut = printedByThread(child.stdout());
    Map<Integer, List<Integer>> shownErr = printedByThread(child.stderr());
    assertEquals(List.of(0, 1, 2, 3, 4, 5), List.copyOf(shownOut.keySet()));
    assertEquals(List.of(6, 7), List.copyOf(shownErr.keySet()));
    assertAllInOrder(shownOut);
    assertAllInOrder(shownErr);
    int bars = ConsoleChild.LINES / ConsoleChild.THREADS / 50;
    assertEquals(bars, count(child.stdout(), "\rT0 bar 25%"));
    assertEquals(bars, count(child.stdout(), "\rT1 bar 100%"));

    // the log: the same lines, stdout's in stdout records and stderr's in stderr records
    List<Record> records = RunLogs.records(child.log("run"));
    Map<Integer, List<Integer>> loggedOut = byThread(logLines(records, OutputRawRecord.OutputType.STDOUT));
    Map<Integer, List<Integer>> loggedErr = byThread(logLines(records, OutputRawRecord.OutputType.STDERR));
    assertEquals(shownOut, loggedOut);
    assertEquals(shownErr, loggedErr);

    // output.log: the lines as the log has them, progress bars collapsed to their last state
    List<String> file = Files.readAllLines(child.outputLog("run"));
    assertEquals(ConsoleChild.LINES, file.size());
    Map<Integer, List<Integer>> filed = byThread(file);
    assertAllInOrder(filed);
    List<String> logged = new ArrayList<>();
    records.stream()
        .filter(Record::hasOutputRaw)
        .forEach(r -> logged.addAll(linesOf(r.getOutputRaw().getLine())));
    assertEquals(logged, file, "output.log holds the log's lines in the log's order");

    // the console records sit between the run record and the exit, and W&B's reader takes them
    List<String> types = RunLogs.types(records);
    assertTrue(types.indexOf("output_raw") > types.indexOf("run"));
    assertTrue(types.lastIndexOf("output_raw") < types.indexOf("exit"));
    assertTrue(IndependentReader.typeCounts(child.log("run")).get("output_raw") > 0);
  }

  @Test
  void linesPrintedWhileTheRunFinishesAreInTheLogUpToTheStopAndAllOnTheTerminal() throws Exception {
    Child child = run("finish");
    List<String> expected =
        IntStream.range(0, ConsoleChild.FINISH_LINES).mapToObj(i -> "F" + i).toList();
    assertEquals(expected, terminalLines(child.stdout()));
    List<String> logged = logLines(RunLogs.records(child.log("run")), OutputRawRecord.OutputType.STDOUT);
    assertTrue(logged.size() > 1000, "lines printed before finish are in the log: " + logged.size());
    assertEquals(expected.subList(0, logged.size()), logged, "a gapless prefix: nothing lost");
    assertEquals(logged, Files.readAllLines(child.outputLog("run")));
    assertEquals("true", child.info().get("restored"));
  }

  @Test
  void aShutdownHookPrintingWhileTheExitFinishesTheRunNeitherDeadlocksNorLosesLines()
      throws Exception {
    Child child = run("hook");
    List<String> main = IntStream.range(0, 1000).mapToObj(i -> "M" + i).toList();
    List<String> hook = IntStream.range(0, ConsoleChild.HOOK_LINES).mapToObj(i -> "H" + i).toList();
    List<String> all = new ArrayList<>(main);
    all.addAll(hook);
    assertEquals(all, terminalLines(child.stdout()), "every line reached the terminal once");
    List<Record> records = RunLogs.records(child.log("run"));
    List<String> logged = logLines(records, OutputRawRecord.OutputType.STDOUT);
    assertTrue(logged.size() >= main.size(), "main's lines are all in the log");
    assertEquals(all.subList(0, logged.size()), logged, "a gapless prefix: nothing lost");
    assertEquals(logged, Files.readAllLines(child.outputLog("run")));
    List<String> types = RunLogs.types(records);
    assertEquals(
        List.of("exit", "summary", "final", "footer"), types.subList(types.size() - 4, types.size()));
  }

  @Test
  void twoOpenRunsEachGetTheLinesPrintedWhileTheyWereTheActiveOne() throws Exception {
    Child child = run("overlap");
    assertEquals(List.of("A1", "A2"), Files.readAllLines(child.outputLog("outer")));
    assertEquals(List.of("B1", "B2", "B4 unfinished"), Files.readAllLines(child.outputLog("inner")));
    assertEquals(
        List.of("A1", "B1", "B4 unfinishedA2", "after both"), terminalLines(child.stdout()));
    assertEquals(List.of("B2"), terminalLines(child.stderr()));
    assertEquals("true", child.info().get("restored"));
  }

  @Test
  void whenTheOuterRunFinishesFirstTheInnerKeepsCapturingAndTheLastRestores() throws Exception {
    Child child = run("overlap-outer-first");
    assertEquals(List.of("A1"), Files.readAllLines(child.outputLog("outer")));
    assertEquals(
        List.of("B1", "B2", "B4 unfinishedB3"), Files.readAllLines(child.outputLog("inner")));
    assertEquals(
        List.of("A1", "B1", "B4 unfinishedB3", "after both"), terminalLines(child.stdout()));
    assertEquals("true", child.info().get("restored"));
  }

  @Test
  void wandbConsoleOffLeavesTheStreamsAloneAndTheLogWithoutConsole() throws Exception {
    Child child = run("off");
    assertEquals("true", child.info().get("untouched"));
    assertEquals(List.of("not captured"), terminalLines(child.stdout()));
    assertFalse(Files.exists(child.outputLog("run")));
    assertFalse(RunLogs.types(RunLogs.records(child.log("run"))).contains("output_raw"));
  }

  // ---- reading lines back, independently of the code under test ----

  /** What a terminal shows: lines split at \n, each the text after its last \r. */
  static List<String> terminalLines(String text) {
    List<String> lines = new ArrayList<>();
    String[] parts = text.split("\n", -1);
    for (int i = 0; i < parts.length - 1; i++) { // the part after the last \n is no line
      lines.add(afterLastReturn(parts[i]));
    }
    if (!parts[parts.length - 1].isEmpty()) {
      lines.add(afterLastReturn(parts[parts.length - 1]));
    }
    return lines;
  }

  private static String afterLastReturn(String line) {
    String shown = line;
    while (shown.endsWith("\r")) {
      shown = shown.substring(0, shown.length() - 1);
    }
    return shown.substring(shown.lastIndexOf('\r') + 1);
  }

  private static List<String> linesOf(String text) {
    return terminalLines(text);
  }

  private static List<String> logLines(List<Record> records, OutputRawRecord.OutputType type) {
    StringBuilder text = new StringBuilder();
    for (Record r : records) {
      if (r.hasOutputRaw() && r.getOutputRaw().getOutputType() == type) {
        text.append(r.getOutputRaw().getLine());
      }
    }
    return terminalLines(text.toString());
  }

  /** Each thread's line numbers in the order seen; fails on a line that is no thread's line. */
  private static Map<Integer, List<Integer>> byThread(List<String> lines) {
    Map<Integer, List<Integer>> seen = new TreeMap<>();
    for (String line : lines) {
      Matcher m = THREAD_LINE.matcher(line);
      assertTrue(m.matches(), "not one whole line of one thread: \"" + line + "\"");
      seen.computeIfAbsent(Integer.parseInt(m.group(1)), t -> new ArrayList<>())
          .add(Integer.parseInt(m.group(2)));
    }
    return seen;
  }

  /** Each thread's line numbers in the order printed, found in raw terminal output. */
  private static Map<Integer, List<Integer>> printedByThread(String raw) {
    Map<Integer, List<Integer>> seen = new TreeMap<>();
    Matcher m = Pattern.compile("T(\\d) L(\\d+)\n").matcher(raw);
    while (m.find()) {
      seen.computeIfAbsent(Integer.parseInt(m.group(1)), t -> new ArrayList<>())
          .add(Integer.parseInt(m.group(2)));
    }
    return seen;
  }

  /** Every thread's lines 0..n-1, each once, in order. */
  private static void assertAllInOrder(Map<Integer, List<Integer>> seen) {
    List<Integer> all = IntStream.range(0, ConsoleChild.LINES / ConsoleChild.THREADS).boxed().toList();
    seen.forEach((thread, numbers) -> assertEquals(all, numbers, "thread " + thread + "'s lines"));
  }

  private static int count(String text, String what) {
    int n = 0;
    for (int i = text.indexOf(what); i >= 0; i = text.indexOf(what, i + 1)) {
      n++;
    }
    return n;
  }

  private static String tail(String text) {
    return text.length() <= 4000 ? text : text.substring(text.length() - 4000);
  }
}
