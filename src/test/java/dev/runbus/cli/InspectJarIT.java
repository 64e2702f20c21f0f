package dev.runbus.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code java -jar runbus.jar inspect}: each verdict's exit code (0 intact, 1 corrupt, 2 not a log,
 * 3 torn), and the verdict said once.
 */
class InspectJarIT {

  @TempDir Path dir;

  private RunbusJar.Result inspect(Path log, String... options) throws Exception {
    String[] args = new String[options.length + 2];
    args[0] = "inspect";
    args[1] = log.toString();
    System.arraycopy(options, 0, args, 2, options.length);
    return RunbusJar.in(dir).run(args);
  }

  private static JsonNode lastLine(RunbusJar.Result result) throws Exception {
    String[] lines = result.stdout().split("\n");
    return RecordJson.MAPPER.readTree(lines[lines.length - 1]);
  }

  @Test
  void anIntactLogExitsZero() throws Exception {
    RunbusJar.Result ok = inspect(SmallLogs.write(dir.resolve("ok.wandb"), 3, true));
    assertEquals(InspectCommand.OK, ok.code(), ok.toString());
    assertTrue(
        ok.stdout().matches("(?s).*\\n4 records, \\d+ bytes, every checksum verified\\n"),
        ok.toString());
    assertEquals("", ok.stderr());
  }

  @Test
  void aCorruptLogExitsOneWithItsVerdictOnce() throws Exception {
    Path log = SmallLogs.corruptAt(dir.resolve("corrupt.wandb"), 3, 1);
    RunbusJar.Result corrupt = inspect(log);
    assertEquals(InspectCommand.CORRUPT, corrupt.code(), corrupt.toString());
    assertEquals("", corrupt.stderr());
    String verdict = corrupt.stdout().lines().reduce((a, b) -> b).orElseThrow();
    assertTrue(verdict.startsWith("corrupt chunk at offset "), verdict);
    assertTrue(verdict.contains("; the 1 record before it is intact;"), verdict);
    assertEquals(1, corrupt.stdout().split("corrupt", -1).length - 1, corrupt.stdout());

    RunbusJar.Result json = inspect(log, "--json");
    assertEquals(InspectCommand.CORRUPT, json.code(), json.toString());
    JsonNode summary = lastLine(json);
    assertEquals("corrupt", summary.get("status").asText());
    assertTrue(summary.get("finished").isNull(), summary.toString());
    assertEquals("", json.stderr());
  }

  @Test
  void aTornLogExitsThree() throws Exception {
    RunbusJar.Result torn = inspect(SmallLogs.tornAt(dir.resolve("torn.wandb"), 3, 2));
    assertEquals(InspectCommand.TORN, torn.code(), torn.toString());
    assertTrue(torn.stdout().endsWith("; the 2 records before it are intact\n"), torn.toString());
  }

  @Test
  void aFileThatIsNotALogExitsTwo() throws Exception {
    Path text = Files.writeString(dir.resolve("notes.txt"), "epoch,loss\n1,0.5\n");
    RunbusJar.Result notALog = inspect(text);
    assertEquals(InspectCommand.UNREADABLE, notALog.code(), notALog.toString());
    assertEquals(
        "runbus: not a .wandb log: " + text + " is a text file (it begins \"epoch,loss\")\n",
        notALog.stderr());

    RunbusJar.Result json = inspect(text, "--json");
    assertEquals(InspectCommand.UNREADABLE, json.code(), json.toString());
    assertEquals("unreadable", lastLine(json).get("status").asText());
    assertEquals("", json.stderr());

    RunbusJar.Result missing = inspect(dir.resolve("absent.wandb"));
    assertEquals(InspectCommand.UNREADABLE, missing.code(), missing.toString());
  }
}
