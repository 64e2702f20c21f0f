package dev.runbus.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.runbus.proto.SendProgress;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** What finish() says when the server did not get everything: why, how much, and the command. */
class UploadOutcomeTest {

  private final Path dir = Path.of("wandb", "run-20261202_120000-abc");

  @Test
  void nothingIsSaidOfACompleteUploadOrAnOfflineRun() {
    assertEquals("", UploadOutcome.notUploaded(SendProgress.getDefaultInstance(), dir));
    assertEquals(
        "",
        UploadOutcome.notUploaded(
            SendProgress.newBuilder().setOnline(true).setComplete(true).build(), dir));
  }

  @Test
  void anIncompleteUploadSaysWhyWhatIsLeftAndTheSyncCommand() {
    String text =
        UploadOutcome.notUploaded(
            SendProgress.newBuilder()
                .setOnline(true)
                .setIncomplete(true)
                .setFailure("the server answered 401 Unauthorized")
                .setLogBytesFlushed(3 << 20)
                .setLogBytesAcknowledged(1 << 20)
                .setFilesTotal(4)
                .setFilesUploaded(3)
                .build(),
            dir);
    assertTrue(text.contains(": the server answered 401 Unauthorized."), text);
    assertTrue(text.contains("Not acknowledged: 2.000 MB of the log, 1 file."), text);
    assertTrue(
        text.endsWith("java -jar runbus.jar sync --include-online " + dir), text);
  }
}
