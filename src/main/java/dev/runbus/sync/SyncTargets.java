package dev.runbus.sync;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Which logs a {@code runbus sync} argument names: a {@code .wandb} file, a run directory (the log
 * inside it), or a directory of run directories ({@code wandb/}, as W&B's {@code wandb sync}
 * takes), every run in it in name order, which is start order.
 */
public final class SyncTargets {

  /** One log to sync, and whether it belongs to a run that was online. */
  public record Target(Path logFile, boolean online) {
    public Path runDir() {
      return logFile.toAbsolutePath().getParent();
    }
  }

  private SyncTargets() {}

  /**
   * @throws IllegalArgumentException naming the path, when it is neither a log nor a directory with
   *     one
   */
  public static List<Target> of(Path path) throws IOException {
    if (Files.isRegularFile(path)) {
      if (!path.getFileName().toString().endsWith(".wandb")) {
        throw new IllegalArgumentException(path + " is not a .wandb log");
      }
      return List.of(target(path));
    }
    if (!Files.isDirectory(path)) {
      throw new IllegalArgumentException(path + " does not exist");
    }
    Path own = logIn(path);
    if (own != null) {
      return List.of(target(own));
    }
    List<Path> runDirs = new ArrayList<>();
    try (DirectoryStream<Path> entries = Files.newDirectoryStream(path)) {
      for (Path entry : entries) {
        String name = entry.getFileName().toString();
        if (Files.isDirectory(entry)
            && !Files.isSymbolicLink(entry) // latest-run points at one of the others
            && (name.startsWith("run-") || name.startsWith("offline-run-"))) {
          runDirs.add(entry);
        }
      }
    }
    runDirs.sort((a, b) -> stamp(a).compareTo(stamp(b)));
    List<Target> targets = new ArrayList<>();
    for (Path dir : runDirs) {
      Path log = logIn(dir);
      if (log != null) {
        targets.add(target(log));
      }
    }
    if (targets.isEmpty()) {
      throw new IllegalArgumentException(
          path + " holds no run: give a .wandb log, a run directory or a wandb/ directory");
    }
    return targets;
  }

  /** The {@code run-<id>.wandb} log of a run directory, or null. */
  private static Path logIn(Path dir) throws IOException {
    try (DirectoryStream<Path> logs = Files.newDirectoryStream(dir, "run-*.wandb")) {
      for (Path log : logs) {
        if (Files.isRegularFile(log)) {
          return log;
        }
      }
    }
    return null;
  }

  /** A run directory's name without its offline prefix: start time first, so it sorts by start. */
  private static String stamp(Path runDir) {
    String name = runDir.getFileName().toString();
    return name.startsWith("offline-") ? name.substring("offline-".length()) : name;
  }

  private static Target target(Path log) {
    Path dir = log.toAbsolutePath().getParent();
    boolean online = dir != null && dir.getFileName().toString().startsWith("run-");
    return new Target(log.toAbsolutePath(), online);
  }
}
