package dev.runbus.client;

import dev.runbus.proto.SendProgress;
import java.nio.file.Path;

/**
 * What finish() says of an online run's upload when the server did not acknowledge everything:
 * why, what is left, and the one command that uploads the rest from the log, which holds it all.
 */
final class UploadOutcome {

  private UploadOutcome() {}

  /** Empty when everything arrived; else the lines finish() prints and the result carries. */
  static String notUploaded(SendProgress send, Path runDir) {
    if (!send.getOnline() || !send.getIncomplete()) {
      return "";
    }
    StringBuilder text = new StringBuilder("The server did not receive all of this run");
    if (!send.getFailure().isEmpty()) {
      text.append(": ").append(send.getFailure());
    }
    text.append('.');
    long logLeft = Math.max(0, send.getLogBytesFlushed() - send.getLogBytesAcknowledged());
    int filesLeft = Math.max(0, send.getFilesTotal() - send.getFilesUploaded());
    if (logLeft > 0 || filesLeft > 0) {
      text.append(
          String.format(
              " Not acknowledged: %.3f MB of the log, %d %s.",
              logLeft / 1048576.0, filesLeft, filesLeft == 1 ? "file" : "files"));
    }
    text.append("\nEverything is in the run's log; upload the rest with:")
        .append("\n  java -jar runbus.jar sync --include-online ")
        .append(runDir);
    return text.toString();
  }
}
