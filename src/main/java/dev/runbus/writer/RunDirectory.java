package dev.runbus.writer;

import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneId;

/**
 * A run's directory, laid out as W&B lays it out so W&B's tools find everything where they look:
 *
 * <pre>
 * &lt;root&gt;/wandb/                      (".wandb/" if that already exists)
 *   latest-run -&gt; offline-run-20261126_223451-ab12cd34
 *   offline-run-20261126_223451-ab12cd34/   ("run-…" when online)
 *     run-ab12cd34.wandb   files/   logs/   tmp/
 * </pre>
 *
 * The timestamp is the run's start in local time.
 */
public final class RunDirectory {

  private final Path wandbDir;
  private final Path runDir;
  private final String runId;

  private RunDirectory(Path wandbDir, Path runDir, String runId) {
    this.wandbDir = wandbDir;
    this.runDir = runDir;
    this.runId = runId;
  }

  /**
   * Names a run's directory and log without touching the disk beyond looking for {@code .wandb}:
   * the one place the client (which reports them from {@code init}) and the Writer (which creates
   * them) both take the names from.
   */
  public static RunDirectory of(
      Path root, String runId, boolean offline, double startEpochSeconds) {
    Path wandbDir =
        Files.isDirectory(root.resolve(".wandb")) ? root.resolve(".wandb") : root.resolve("wandb");
    String name = (offline ? "offline-run-" : "run-") + stamp(startEpochSeconds) + "-" + runId;
    return new RunDirectory(wandbDir, wandbDir.resolve(name), runId);
  }

  /**
   * Creates the run directory and its sub-directories, and points {@code latest-run} at it.
   *
   * @throws RunDirectoryException naming the directory and the reason, when it cannot be created or
   *     written, or when the run already has a log there
   */
  public static RunDirectory create(
      Path root, String runId, boolean offline, double startEpochSeconds) {
    RunDirectory dir = of(root, runId, offline, startEpochSeconds);
    try {
      Files.createDirectories(dir.runDir.resolve("files"));
      Files.createDirectories(dir.runDir.resolve("logs"));
      Files.createDirectories(dir.runDir.resolve("tmp"));
      if (!Files.isWritable(dir.runDir)) {
        throw new AccessDeniedException(dir.runDir.toString());
      }
    } catch (IOException e) {
      throw dir.cannotCreate(e);
    }
    dir.refuseExistingLog();
    dir.linkLatest();
    return dir;
  }

  /**
   * Checks, leaving nothing behind, what would make {@link #create} fail: the nearest existing
   * ancestor of the run directory must be a directory where a file can be made (tried with a
   * temporary file, as the only test that also holds for root, to whom every mode bit says yes),
   * and the run must not have a log yet. So a client can fail {@code init} at once for a reason the
   * caller can fix, while the Writer alone creates the directory.
   *
   * @throws RunDirectoryException as {@link #create} would
   */
  public void checkCreatable() {
    Path existing = runDir;
    while (existing != null && !Files.exists(existing)) {
      existing = existing.getParent();
    }
    if (existing != null) {
      if (!Files.isDirectory(existing)) {
        throw cannotCreate(new FileAlreadyExistsException(existing.toString()));
      }
      try {
        Files.delete(Files.createTempFile(existing, ".runbus-", ".probe"));
      } catch (IOException e) {
        throw cannotCreateFilesIn(existing, e);
      }
    }
    refuseExistingLog();
  }

  /**
   * The probe failed: said of the directory the caller can do something about, since the probe
   * file is runbus's own business and its name would only mislead.
   */
  private RunDirectoryException cannotCreateFilesIn(Path dir, IOException e) {
    return new RunDirectoryException(
        "cannot create files in "
            + dir
            + ": "
            + probeFailure(e, dir)
            + " (the run directory would be "
            + runDir
            + "); point WANDB_DIR (or Settings.dir) at a writable directory",
        e);
  }

  /** Why no file could be made in {@code dir}, an existing directory, without the file's name. */
  private static String probeFailure(IOException e, Path dir) {
    if (e instanceof NoSuchFileException) {
      // the directory is there, yet the new file is "not found": a file system that takes no new
      // files, as /proc
      return Files.isDirectory(dir)
          ? "its file system does not allow new files"
          : "the directory was removed meanwhile";
    }
    if (e instanceof FileSystemException f && f.getReason() != null) {
      return f.getReason(); // the operating system's words, e.g. "Read-only file system"
    }
    if (e instanceof AccessDeniedException) {
      return "permission denied";
    }
    return e.getClass().getSimpleName();
  }

  private RunDirectoryException cannotCreate(IOException e) {
    Path file = fileInTheWay(runDir);
    return new RunDirectoryException(
        "cannot create the run directory "
            + runDir
            + ": "
            + (file == null ? reason(e, runDir) : file + " is a file, not a directory")
            + "; point WANDB_DIR (or Settings.dir) at a writable directory",
        e);
  }

  /** The same run id started in the same second: said when the run starts, not later. */
  private void refuseExistingLog() {
    if (Files.exists(logFile())) {
      throw new RunDirectoryException(
          "run "
              + runId
              + " already has a log in "
              + runDir
              + " (a run with this id started in the same second); give this run another id",
          null);
    }
  }

  /** {@code yyyyMMdd_HHmmss} in local time, without DateTimeFormatter's start-up cost. */
  public static String stamp(double epochSeconds) {
    LocalDateTime t =
        LocalDateTime.ofInstant(
            Instant.ofEpochMilli((long) (epochSeconds * 1000)), ZoneId.systemDefault());
    StringBuilder s = new StringBuilder(15);
    pad(s, t.getYear(), 4);
    pad(s, t.getMonthValue(), 2);
    pad(s, t.getDayOfMonth(), 2);
    s.append('_');
    pad(s, t.getHour(), 2);
    pad(s, t.getMinute(), 2);
    pad(s, t.getSecond(), 2);
    return s.toString();
  }

  private static void pad(StringBuilder s, int value, int width) {
    String digits = Integer.toString(value);
    for (int i = digits.length(); i < width; i++) {
      s.append('0');
    }
    s.append(digits);
  }

  /** The nearest existing ancestor of {@code dir} that is not a directory, if any. */
  private static Path fileInTheWay(Path dir) {
    for (Path p = dir; p != null; p = p.getParent()) {
      if (Files.exists(p)) {
        return Files.isDirectory(p) ? null : p;
      }
    }
    return null;
  }

  /**
   * Explains an I/O failure on {@code subject} in words rather than an exception class name,
   * naming the file it happened to when that is not {@code subject} itself.
   */
  static String reason(IOException e, Path subject) {
    if (!(e instanceof FileSystemException f)) {
      return e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
    }
    String what;
    if (f.getReason() != null) {
      what = f.getReason(); // the operating system's words, e.g. "Not a directory"
    } else if (f instanceof AccessDeniedException) {
      what = "permission denied";
    } else if (f instanceof FileAlreadyExistsException) {
      what = "a file is in the way";
    } else if (f instanceof NoSuchFileException) {
      what = "no such file or directory";
    } else {
      what = f.getClass().getSimpleName();
    }
    if (f.getOtherFile() != null) {
      return what + " (" + f.getFile() + " -> " + f.getOtherFile() + ")";
    }
    return f.getFile() == null || f.getFile().equals(subject.toString())
        ? what
        : what + " (" + f.getFile() + ")";
  }

  /** Best effort, like W&B: a missing link never stops a run. */
  private void linkLatest() {
    Path link = wandbDir.resolve("latest-run");
    Path temp = wandbDir.resolve("latest-run." + ProcessHandle.current().pid());
    try {
      Files.deleteIfExists(temp);
      Files.createSymbolicLink(temp, wandbDir.relativize(runDir));
      try {
        Files.move(temp, link, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
      } catch (AtomicMoveNotSupportedException e) {
        Files.move(temp, link, StandardCopyOption.REPLACE_EXISTING);
      }
    } catch (IOException | UnsupportedOperationException e) {
      try {
        Files.deleteIfExists(temp);
      } catch (IOException ignored) {
        // nothing more to do for a convenience link
      }
    }
  }

  public Path runDir() {
    return runDir;
  }

  public Path filesDir() {
    return runDir.resolve("files");
  }

  public Path logFile() {
    return runDir.resolve("run-" + runId + ".wandb");
  }
}
