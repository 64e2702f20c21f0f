package dev.runbus.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.runbus.RunLogs;
import dev.runbus.proto.Record;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code java -jar runbus.jar demo}, the packaged artifact, as a new user first runs it. */
class DemoJarIT {

  @TempDir Path dir;

  @Test
  void demoTrainsTracksAndLeavesARunDirectoryWithALogOurReaderAccepts() throws Exception {
    RunbusJar.Result demo = RunbusJar.in(dir).run("demo", "--steps", "60", "--dir", "out");
    assertEquals(0, demo.code(), demo.toString());
    String err = demo.stderr();
    assertTrue(err.contains("offline run "), err);
    assertTrue(err.contains("in project runbus-demo"), err);
    assertTrue(err.contains("runbus: Run history:"), err);
    assertTrue(err.contains("runbus: Run summary:"), err);
    assertTrue(err.matches("(?s).*runbus: +samples_seen 1920\\n.*"), err);
    assertTrue(err.contains("finished after "), err);

    // W&B's layout: wandb/offline-run-<stamp>-<id>/run-<id>.wandb, files/, and latest-run
    Path wandb = dir.resolve("out/wandb");
    List<Path> runs;
    try (Stream<Path> list = Files.list(wandb)) {
      runs = list.filter(p -> p.getFileName().toString().startsWith("offline-run-")).toList();
    }
    assertEquals(1, runs.size(), runs.toString());
    Path run = runs.get(0);
    String id = run.getFileName().toString().replaceAll(".*-", "");
    assertTrue(
        run.getFileName().toString().matches("offline-run-\\d{8}_\\d{6}-[a-z0-9]{8}"),
        run.toString());
    assertTrue(Files.isDirectory(run.resolve("files")), run.toString());
    assertEquals(run.toRealPath(), wandb.resolve("latest-run").toRealPath());
    Path log = run.resolve("run-" + id + ".wandb");
    assertTrue(
        err.matches("(?s).*\\nrunbus: wandb sync \\S*out/wandb/" + run.getFileName() + "\\n.*"),
        err);

    List<Record> records = RunLogs.records(log);
    assertEquals(60, RunLogs.history(records).size());
    assertEquals(
        id, records.stream().filter(Record::hasRun).findFirst().orElseThrow().getRun().getRunId());
    assertTrue(records.stream().anyMatch(Record::hasExit), RunLogs.types(records).toString());

    RunbusJar.Result inspect = RunbusJar.in(dir).run("inspect", log.toString(), "--json");
    assertEquals(InspectCommand.OK, inspect.code(), inspect.toString());
    String[] lines = inspect.stdout().split("\n");
    JsonNode verdict = RecordJson.MAPPER.readTree(lines[lines.length - 1]);
    assertEquals(records.size(), verdict.get("records").asLong());
    assertTrue(verdict.get("finished").asBoolean(), verdict.toString());
  }

  @Test
  void demoTakesItsProjectFromWandbProject() throws Exception {
    RunbusJar.Result demo =
        RunbusJar.in(dir).env("WANDB_PROJECT", "from-the-environment").run("demo", "--steps", "3");
    assertEquals(0, demo.code(), demo.toString());
    assertTrue(demo.stderr().contains("in project from-the-environment"), demo.stderr());
    Path log;
    try (Stream<Path> files = Files.walk(dir.resolve("wandb"))) {
      log = files.filter(p -> p.toString().endsWith(".wandb")).findFirst().orElseThrow();
    }
    Record run = RunLogs.records(log).stream().filter(Record::hasRun).findFirst().orElseThrow();
    assertEquals("from-the-environment", run.getRun().getProject());

    RunbusJar.Result option =
        RunbusJar.in(dir)
            .env("WANDB_PROJECT", "from-the-environment")
            .run("demo", "--steps", "3", "--project", "from-the-option");
    assertTrue(option.stderr().contains("in project from-the-option"), option.toString());
  }

  @Test
  void sparklinesAreUtf8WithoutALocale() throws Exception {
    // a minimal container or CI job: no LANG, so the JVM's console charset is ASCII
    RunbusJar.Result demo =
        RunbusJar.in(dir)
            .withoutEnv("LANG", "LC_ALL", "LC_CTYPE")
            .run("demo", "--steps", "40", "--dir", "out");
    assertEquals(0, demo.code(), demo.toString());
    String err = demo.stderr();
    assertFalse(err.contains("?"), err);
    String loss =
        err.lines()
            .filter(l -> l.contains("train/loss "))
            .findFirst()
            .orElseThrow(() -> new AssertionError(err));
    String bars = loss.substring(loss.indexOf("train/loss ") + "train/loss ".length());
    assertEquals(40, bars.length(), loss);
    assertTrue(bars.chars().allMatch(c -> c >= '▁' && c <= '█'), loss);
    // the bytes on the wire: each block element in UTF-8, E2 96 81..88
    byte[] lowest = "▁".getBytes(StandardCharsets.UTF_8);
    assertArrayEquals(new byte[] {(byte) 0xE2, (byte) 0x96, (byte) 0x81}, lowest);
    assertTrue(indexOf(demo.err(), lowest) >= 0, "no UTF-8 ▁ in stderr");
  }

  private static int indexOf(byte[] haystack, byte[] needle) {
    outer:
    for (int i = 0; i + needle.length <= haystack.length; i++) {
      for (int j = 0; j < needle.length; j++) {
        if (haystack[i + j] != needle[j]) {
          continue outer;
        }
      }
      return i;
    }
    return -1;
  }
}
