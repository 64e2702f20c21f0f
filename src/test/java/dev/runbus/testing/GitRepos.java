package dev.runbus.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Real git repositories for tests, made with the {@code git} binary. */
public final class GitRepos {

  private GitRepos() {}

  /** Whether a {@code git} binary answers here. */
  public static boolean gitAvailable() {
    try {
      Process p = new ProcessBuilder("git", "--version").redirectErrorStream(true).start();
      p.getInputStream().readAllBytes();
      return p.waitFor(30, TimeUnit.SECONDS) && p.exitValue() == 0;
    } catch (IOException e) {
      return false;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }

  /**
   * A repository in {@code dir} on {@code branch} with one commit of {@code train.txt} and
   * {@code remote} as origin; returns the commit's id.
   */
  public static String createWithCommit(Path dir, String branch, String remote)
      throws IOException, InterruptedException {
    Files.createDirectories(dir);
    git(dir, "init", "-q");
    git(dir, "checkout", "-q", "-b", branch);
    Files.writeString(dir.resolve("train.txt"), "epochs: 3\n");
    git(dir, "add", "train.txt");
    git(dir, "-c", "user.name=Test", "-c", "user.email=test@example.com", "commit", "-q", "-m", "first");
    git(dir, "remote", "add", "origin", remote);
    return git(dir, "rev-parse", "HEAD").trim();
  }

  /** Runs git in {@code dir}; fails the test unless it exits 0. Returns its stdout. */
  public static String git(Path dir, String... args) throws IOException, InterruptedException {
    List<String> command = new ArrayList<>();
    command.add("git");
    command.addAll(List.of(args));
    ProcessBuilder builder = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true);
    // a developer's global config (signing, hooks) must not change the test
    builder.environment().put("GIT_CONFIG_GLOBAL", nullFile());
    builder.environment().put("GIT_CONFIG_NOSYSTEM", "1");
    Process p = builder.start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertEquals(true, p.waitFor(60, TimeUnit.SECONDS), "git " + args[0] + " ended");
    assertEquals(0, p.exitValue(), "git " + String.join(" ", args) + ": " + out);
    return out;
  }

  private static String nullFile() {
    return System.getProperty("os.name").startsWith("Windows") ? "NUL" : "/dev/null";
  }
}
