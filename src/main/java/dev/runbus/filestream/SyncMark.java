package dev.runbus.filestream;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.io.IOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.Optional;

/**
 * The synced-through mark beside a log ({@code <log>.sync.json}): how far one server acknowledged
 * the run, so that a later stream (a second {@code runbus sync}) sends nothing twice. Written after
 * each acknowledged post, atomically (a temporary file renamed over the old one), so a crash leaves
 * the old mark or the new one, never half of one. The Sender reads {@link #uploaded} to skip files
 * already uploaded.
 *
 * @param baseUrl the server
 * @param entity the run's entity
 * @param project the run's project
 * @param run the run's name
 * @param logOffset every record of the log before this offset is acknowledged
 * @param historyBase the history line the log's first row went to (a resumed run's offset)
 * @param eventsBase likewise for events lines
 * @param consoleBase likewise for console lines
 * @param historyLines history lines the server holds once everything acknowledged is stored
 * @param eventsLines likewise for events lines
 * @param consoleLines the console line being written
 * @param uploaded the run files the server acknowledged as uploaded, with their sizes
 * @param complete the final post ({@code complete} + exit code) was acknowledged
 */
public record SyncMark(
    String baseUrl,
    String entity,
    String project,
    String run,
    long logOffset,
    long historyBase,
    long eventsBase,
    long consoleBase,
    long historyLines,
    long eventsLines,
    long consoleLines,
    List<UploadedFile> uploaded,
    boolean complete) {

  private static final JsonMapper JSON =
      JsonMapper.builder().disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES).build();

  public SyncMark {
    uploaded = uploaded == null ? List.of() : List.copyOf(uploaded);
  }

  /** A run file the server has, as it was when uploaded. */
  public record UploadedFile(String name, long size) {}

  /** Whether this mark is about the same run on the same server. */
  public boolean sameRun(String baseUrl, String entity, String project, String run) {
    return this.baseUrl.equals(baseUrl)
        && this.entity.equals(entity)
        && this.project.equals(project)
        && this.run.equals(run);
  }

  /** The mark in {@code file}; empty when there is none or it cannot be read (then: start over). */
  public static Optional<SyncMark> read(Path file) {
    try {
      return Optional.of(JSON.readValue(Files.readAllBytes(file), SyncMark.class));
    } catch (NoSuchFileException e) {
      return Optional.empty();
    } catch (IOException | RuntimeException e) {
      java.util.logging.Logger.getLogger(SyncMark.class.getName())
          .warning("ignoring the unreadable sync mark " + file + ": " + e.getMessage());
      return Optional.empty();
    }
  }

  /** Writes the mark to {@code file} atomically. Blocking. */
  public void write(Path file) throws IOException {
    Path temp = file.resolveSibling(file.getFileName() + ".tmp");
    Files.write(temp, JSON.writerWithDefaultPrettyPrinter().writeValueAsBytes(this));
    try {
      Files.move(temp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    } catch (AtomicMoveNotSupportedException e) {
      Files.move(temp, file, StandardCopyOption.REPLACE_EXISTING);
    }
  }
}
