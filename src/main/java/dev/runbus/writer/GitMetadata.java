package dev.runbus.writer;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The git repository a run was started in, for {@code wandb-metadata.json}: W&B's {@code
 * git: {remote, commit}}, plus the branch and whether tracked files had uncommitted changes
 * ({@code dirty}, our addition), and W&B's {@code codePath} when the program is a file in the
 * repository.
 *
 * <p>Read with the {@code git} binary rather than a Java library: three short commands take
 * 30–400 ms in a repository of this project's size, where JGit's first use in a fresh JVM took
 * 2–5 s and would add 3 MB to the jar. Without {@code git}, outside a repository, or when git
 * does not answer within the timeout, there are simply no git keys. Blocking: call it on a worker.
 */
public record GitMetadata(
    Path root, String commit, String branch, String remote, boolean dirty) {

  private static final Logger LOG = Logger.getLogger(GitMetadata.class.getName());

  /** Longer lines than this (a remote URL, a path) are not git's answer to these commands. */
  private static final int MAX_LINE_CHARS = 4096;

  /**
   * The repository {@code dir} is in, if any. Never throws: a repository that cannot be read is
   * reported as none, with the reason at FINE.
   */
  public static Optional<GitMetadata> read(Path dir, Duration timeout) {
    long deadline = System.nanoTime() + timeout.toNanos();
    try {
      List<String> top = git(dir, deadline, line -> true, "rev-parse", "--show-toplevel");
      if (top == null || top.isEmpty()) {
        return Optional.empty(); // not in a work tree
      }
      // --porcelain=v2 --branch: "# branch.oid <sha>" and "# branch.head <name>", then one line
      // per changed tracked file; the first such line answers "dirty", so reading stops there
      List<String> status =
          git(
              dir,
              deadline,
              line -> !line.startsWith("#"),
              "--no-optional-locks",
              "status",
              "--porcelain=v2",
              "--branch",
              "--untracked-files=no",
              "--ignore-submodules=all");
      if (status == null) {
        return Optional.empty();
      }
      String commit = null;
      String branch = null;
      boolean dirty = false;
      for (String line : status) {
        if (line.startsWith("# branch.oid ")) {
          commit = named(line.substring("# branch.oid ".length()));
        } else if (line.startsWith("# branch.head ")) {
          branch = named(line.substring("# branch.head ".length()));
        } else if (!line.startsWith("#")) {
          dirty = true;
        }
      }
      List<String> remote = git(dir, deadline, line -> true, "config", "--get", "remote.origin.url");
      String url = remote == null || remote.isEmpty() ? null : withoutCredentials(remote.get(0));
      return Optional.of(new GitMetadata(Path.of(top.get(0)), commit, branch, url, dirty));
    } catch (IOException e) {
      LOG.log(Level.FINE, "no git metadata for " + dir + ": " + e.getMessage(), e);
      return Optional.empty();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return Optional.empty();
    }
  }

  /**
   * Adds W&B's keys to {@code metadata}: {@code git} (remote and commit as W&B names them, branch
   * and dirty besides) and {@code codePath} when {@code program} is a file in the repository.
   */
  public void addTo(Map<String, Object> metadata, String program) {
    Map<String, Object> git = new LinkedHashMap<>();
    if (remote != null) {
      git.put("remote", remote);
    }
    if (commit != null) {
      git.put("commit", commit);
    }
    if (branch != null) {
      git.put("branch", branch);
    }
    git.put("dirty", dirty);
    metadata.put("git", git);
    codePath(program).ifPresent(path -> metadata.put("codePath", path));
  }

  private Optional<String> codePath(String program) {
    if (program == null || program.isEmpty()) {
      return Optional.empty();
    }
    try {
      Path file = Path.of(program).toAbsolutePath().normalize();
      if (file.startsWith(root) && java.nio.file.Files.isRegularFile(file)) {
        return Optional.of(root.relativize(file).toString().replace('\\', '/'));
      }
    } catch (RuntimeException notAPath) {
      // a main class name, not a file
    }
    return Optional.empty();
  }

  /** "(initial)" (no commit yet) and "(detached)" (no branch) name nothing. */
  private static String named(String value) {
    return value.startsWith("(") ? null : value;
  }

  /**
   * The URL without a user's password or token ({@code https://user:token@host/…}), as W&B strips
   * it: the metadata is uploaded and shown to everyone who can see the run.
   */
  static String withoutCredentials(String url) {
    try {
      URI uri = new URI(url);
      if (uri.getRawUserInfo() == null || uri.getHost() == null) {
        return url;
      }
      return new URI(
              uri.getScheme(), null, uri.getHost(), uri.getPort(), uri.getPath(), uri.getQuery(),
              uri.getFragment())
          .toString();
    } catch (URISyntaxException scpLike) {
      return url; // git@host:path: a user name, never a secret
    }
  }

  /** Header lines git status prints before the changed files: oid, head, upstream, ahead/behind. */
  private static final int MAX_LINES = 8;

  /**
   * The lines git printed up to and including the first that {@code last} accepts (at most {@link
   * #MAX_LINES}), or null when it failed (exit code not 0) or did not answer by {@code deadline}
   * (it is killed then, even mid-read).
   */
  private static List<String> git(
      Path dir, long deadline, java.util.function.Predicate<String> last, String... args)
      throws IOException, InterruptedException {
    List<String> command = new ArrayList<>();
    command.add("git");
    command.add("-C");
    command.add(dir.toString());
    command.addAll(List.of(args));
    ProcessBuilder builder =
        new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.DISCARD);
    builder.environment().put("GIT_TERMINAL_PROMPT", "0");
    builder.environment().put("LC_ALL", "C");
    Process git = builder.start();
    long left = Math.max(0, deadline - System.nanoTime());
    CompletableFuture.delayedExecutor(left, TimeUnit.NANOSECONDS).execute(git::destroyForcibly);
    List<String> lines = new ArrayList<>();
    boolean stoppedEarly = false;
    try (BufferedReader out =
        new BufferedReader(new InputStreamReader(git.getInputStream(), StandardCharsets.UTF_8))) {
      String line;
      while ((line = out.readLine()) != null) {
        if (line.length() > MAX_LINE_CHARS || lines.size() >= MAX_LINES) {
          git.destroyForcibly();
          return null;
        }
        lines.add(line);
        if (last.test(line)) {
          stoppedEarly = true; // the rest (more changed files) is not needed
          break;
        }
      }
    }
    if (!git.waitFor(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS)) {
      git.destroyForcibly();
      return null;
    }
    if (System.nanoTime() - deadline >= 0 && !stoppedEarly) {
      return null; // killed by the deadline
    }
    // a git stopped early may have died of the closed pipe: what it said before counts
    return git.exitValue() == 0 || stoppedEarly ? lines : null;
  }
}
