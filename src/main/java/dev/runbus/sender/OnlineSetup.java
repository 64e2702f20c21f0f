package dev.runbus.sender;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;

/**
 * What an online stream's Sender and FileStream need to know, for a live run and for {@code runbus
 * sync} alike: the run, its server, and where its log and files are.
 *
 * @param runId the run's id (its name on the server)
 * @param server the server and its key
 * @param runDir the run directory (holds the log and {@code files/})
 * @param logFile the run's {@code .wandb} log, which the FileStream reads what it posts from
 * @param entity the entity the run goes to, empty for the server's default
 * @param project the project, empty for W&B's {@code uncategorized}
 * @param resume W&B's resume word: {@code allow}, {@code must}, {@code never}, or empty
 * @param finishTimeout how long finish waits for the server before leaving the rest to sync
 * @param replay true for {@code runbus sync}: the log is complete before the stream starts
 */
public record OnlineSetup(
    String runId,
    ServerCredentials server,
    Path runDir,
    Path logFile,
    String entity,
    String project,
    String resume,
    Duration finishTimeout,
    boolean replay) {

  public OnlineSetup {
    Objects.requireNonNull(runId, "runId");
    Objects.requireNonNull(server, "server");
    Objects.requireNonNull(runDir, "runDir");
    Objects.requireNonNull(logFile, "logFile");
    entity = entity == null ? "" : entity;
    project = project == null ? "" : project;
    resume = resume == null ? "" : resume;
    Objects.requireNonNull(finishTimeout, "finishTimeout");
  }

  public Path filesDir() {
    return runDir.resolve("files");
  }

  /** The synced-through mark beside the log: how far the server acknowledged it. */
  public Path markFile() {
    return logFile.resolveSibling(logFile.getFileName() + ".sync.json");
  }

  /** W&B's marker of a log that {@code wandb sync} finished, an empty file beside the log. */
  public Path syncedMarker() {
    return logFile.resolveSibling(logFile.getFileName() + ".synced");
  }
}
