package dev.runbus;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** An unwritable run directory fails init with a message, not a stack trace later. */
class RunDirectoryFailureTest {

  @TempDir Path dir;

  @Test
  void aFileWhereTheDirectoryShouldBeFailsInit() throws Exception {
    Path file = Files.writeString(dir.resolve("not-a-dir"), "x");
    RunbusException e =
        assertThrows(RunbusException.class, () -> Runbus.init(RunLogs.quietOffline(file).build()));
    assertTrue(e.getMessage().contains("cannot create the run directory"), e.getMessage());
    assertTrue(e.getMessage().contains(file.toString()), e.getMessage());
    assertTrue(e.getMessage().contains("WANDB_DIR"), e.getMessage());
  }

  @Test
  void aDirectoryNobodyMayWriteFailsInit() {
    // /proc refuses new entries even to root, so this holds on CI machines too
    Path proc = Path.of("/proc/runbus-cannot-write-here");
    org.junit.jupiter.api.Assumptions.assumeTrue(
        Files.isDirectory(Path.of("/proc/self")), "needs Linux /proc");
    RunbusException e =
        assertThrows(RunbusException.class, () -> Runbus.init(RunLogs.quietOffline(proc).build()));
    assertTrue(e.getMessage().contains(proc.toString()), e.getMessage());
  }

  @Test
  void aDirectoryWhoseFileSystemTakesNoFilesIsNamedWithTheReason() {
    Path dirUnderProc = Path.of("/proc/nope");
    org.junit.jupiter.api.Assumptions.assumeTrue(
        Files.isDirectory(Path.of("/proc/self")), "needs Linux /proc");
    RunbusException e =
        assertThrows(
            RunbusException.class,
            () -> Runbus.init(RunLogs.quietOffline(dirUnderProc).runId("p1").build()));
    String message = e.getMessage();
    assertTrue(
        message.startsWith(
            "runbus: cannot start run p1: cannot create files in /proc: its file system does not"
                + " allow new files (the run directory would be /proc/nope/wandb/offline-run-"),
        message);
    assertTrue(
        message.endsWith("; point WANDB_DIR (or Settings.dir) at a writable directory"), message);
    assertFalse(message.contains("probe"), message);
    assertFalse(message.contains("no such file"), message);
  }

  @Test
  void theKernelStaysUsableAfterAFailedInit() throws Exception {
    Path file = Files.writeString(dir.resolve("blocker"), "x");
    assertThrows(
        RunbusException.class,
        () -> Runbus.init(RunLogs.quietOffline(file).runId("again").build()));
    try (Run run = Runbus.init(RunLogs.quietOffline(dir).runId("again").build())) {
      run.log(Map.of("x", 1));
    }
  }

  @Test
  void aRunIdThatAlreadyHasALogInThisSecondFailsInit() throws Exception {
    // the run's log already exists for this second and the next few
    String id = "taken";
    long now = System.currentTimeMillis() / 1000;
    for (long second = now; second < now + 5; second++) {
      Path runDir =
          dir.resolve("wandb")
              .resolve("offline-run-" + dev.runbus.writer.RunDirectory.stamp(second) + "-" + id);
      Files.createDirectories(runDir);
      Files.writeString(runDir.resolve("run-" + id + ".wandb"), "someone else's");
    }
    RunbusException e =
        assertThrows(
            RunbusException.class,
            () -> Runbus.init(RunLogs.quietOffline(dir).runId(id).build()));
    assertTrue(e.getMessage().contains("run taken already has a log in"), e.getMessage());
    assertTrue(e.getMessage().contains("give this run another id"), e.getMessage());
  }
}
