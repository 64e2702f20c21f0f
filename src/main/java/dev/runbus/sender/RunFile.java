package dev.runbus.sender;

import dev.runbus.proto.FileCounts;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;

/**
 * A file of the run's {@code files/} directory to upload: its run-relative name ({@code /}
 * separated, as the server names it) and size. What W&B uploads at the end: every file but
 * temporaries ({@code *.tmp}), logs ({@code *.wandb}) and hidden files.
 */
record RunFile(String name, Path path, long size) {

  /** W&B's "wandb" files (§3.2's PollExit file counts). */
  private static final Set<String> WANDB_FILES =
      Set.of(
          "config.yaml",
          "requirements.txt",
          "output.log",
          "diff.patch",
          "conda-environment.yaml",
          "wandb-metadata.json");

  /** Every file to upload under {@code filesDir}, in name order; blocking (a worker's job). */
  static List<RunFile> scan(Path filesDir) {
    if (!Files.isDirectory(filesDir)) {
      return List.of();
    }
    List<RunFile> files = new ArrayList<>();
    try (Stream<Path> walk = Files.walk(filesDir)) {
      for (Path p : (Iterable<Path>) walk.sorted()::iterator) {
        if (!Files.isRegularFile(p)) {
          continue;
        }
        Path relative = filesDir.relativize(p);
        if (!uploaded(relative)) {
          continue;
        }
        files.add(new RunFile(nameOf(relative), p, Files.size(p)));
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot list " + filesDir + ": " + e.getMessage(), e);
    }
    return files;
  }

  /** One file, if it exists now (blocking). */
  static List<RunFile> one(Path filesDir, String name) {
    Path p = filesDir.resolve(name);
    try {
      return Files.isRegularFile(p) ? List.of(new RunFile(name, p, Files.size(p))) : List.of();
    } catch (IOException e) {
      return List.of();
    }
  }

  static boolean uploaded(Path relative) {
    for (Path part : relative) {
      if (part.toString().startsWith(".")) {
        return false;
      }
    }
    String name = relative.getFileName().toString();
    return !name.endsWith(".tmp") && !name.endsWith(".wandb");
  }

  private static String nameOf(Path relative) {
    StringBuilder name = new StringBuilder();
    for (Path part : relative) {
      if (name.length() > 0) {
        name.append('/');
      }
      name.append(part);
    }
    return name.toString();
  }

  /** W&B's categories: "wandb" files, media, artifacts (none here), and the rest. */
  static FileCounts count(Collection<String> names) {
    FileCounts.Builder counts = FileCounts.newBuilder();
    for (String name : names) {
      if (name.startsWith("wandb") || WANDB_FILES.contains(name)) {
        counts.setWandbCount(counts.getWandbCount() + 1);
      } else if (name.startsWith("media")) {
        counts.setMediaCount(counts.getMediaCount() + 1);
      } else {
        counts.setOtherCount(counts.getOtherCount() + 1);
      }
    }
    return counts.build();
  }
}
