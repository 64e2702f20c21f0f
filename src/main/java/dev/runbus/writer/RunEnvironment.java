package dev.runbus.writer;

import dev.runbus.proto.StreamOptions;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * What the run's metadata needs from the client's machine that takes more than a moment to read:
 * its git repository and the jars on its class path. Read once per run, on a worker, from what the
 * client said at init (its working directory and class path); an empty one reads nothing.
 */
record RunEnvironment(Optional<GitMetadata> git, List<String> requirements) {

  static final RunEnvironment NONE = new RunEnvironment(Optional.empty(), List.of());

  /** Bounds how long a slow git (a network file system, a huge work tree) holds the metadata. */
  static final Duration GIT_TIMEOUT = Duration.ofSeconds(5);

  /** The repository the client's working directory is in, if any; blocking. */
  static Optional<GitMetadata> git(StreamOptions options) {
    return options.getWorkingDir().isEmpty()
        ? Optional.empty()
        : GitMetadata.read(Path.of(options.getWorkingDir()), GIT_TIMEOUT);
  }

  /** requirements.txt's lines for the client's class path; blocking. */
  static List<String> requirements(StreamOptions options) {
    return options.getClassPath().isEmpty()
        ? List.of()
        : ClasspathRequirements.of(options.getClassPath());
  }
}
