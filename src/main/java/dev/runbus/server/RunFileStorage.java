package dev.runbus.server;

import dev.runbus.server.store.BadInputException;
import java.nio.file.Path;

/**
 * Where the bytes of a run's files live: {@code <data>/files/<run id>/<name>}. Names come from
 * clients, so every one is checked before it becomes a path: relative, {@code /}-separated, no
 * {@code .} or {@code ..} segment, no backslash, no control character, at most 1,024 characters.
 */
public final class RunFileStorage {
  private static final int MAX_NAME = 1024;
  private final Path root;

  public RunFileStorage(Path dataDirectory) {
    this.root = dataDirectory.resolve("files").toAbsolutePath().normalize();
  }

  /** The path of a run's file; throws {@link BadInputException} naming what is wrong with it. */
  public Path pathOf(long runId, String name) {
    checkName(name);
    Path runDir = runDirectory(runId);
    Path file = runDir.resolve(name).normalize();
    if (!file.startsWith(runDir)) {
      throw new BadInputException("file name leaves the run's directory: " + name);
    }
    return file;
  }

  /** The directory holding one run's files. */
  public Path runDirectory(long runId) {
    return root.resolve(Long.toString(runId));
  }

  public static void checkName(String name) {
    if (name == null || name.isEmpty()) {
      throw new BadInputException("empty file name");
    }
    if (name.length() > MAX_NAME) {
      throw new BadInputException("file name longer than " + MAX_NAME + " characters");
    }
    if (name.startsWith("/")) {
      throw new BadInputException("absolute file name: " + name);
    }
    for (int i = 0; i < name.length(); i++) {
      char c = name.charAt(i);
      if (c < 0x20 || c == 0x7f) {
        throw new BadInputException("control character in file name (U+"
            + String.format("%04X", (int) c) + ")");
      }
      if (c == '\\') {
        throw new BadInputException("backslash in file name: " + name);
      }
    }
    for (String segment : name.split("/", -1)) {
      if (segment.isEmpty() || segment.equals(".") || segment.equals("..")) {
        throw new BadInputException("file name has an empty, '.' or '..' segment: " + name);
      }
    }
  }
}
