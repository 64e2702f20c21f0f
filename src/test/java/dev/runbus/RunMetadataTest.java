package dev.runbus;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.runbus.testing.ChildProcess;
import dev.runbus.testing.GitRepos;
import io.vertx.core.Vertx;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A run's {@code files/}: {@code wandb-metadata.json} names the git repository the program ran in
 * (and has no git keys outside one), and {@code requirements.txt} lists its jars. Real child JVMs,
 * started in a real repository and outside any.
 */
class RunMetadataTest {

  @TempDir Path dir;

  @Test
  void insideARepositoryTheMetadataNamesCommitBranchAndRemote() throws Exception {
    assumeTrue(GitRepos.gitAvailable(), "no git binary here");
    Path repo = dir.resolve("project");
    String commit = GitRepos.createWithCommit(repo, "exp-7", "git@git.example.com:ml/model.git");
    Path files = runIn(repo, "ingit");

    JsonNode metadata = new ObjectMapper().readTree(files.resolve("wandb-metadata.json").toFile());
    JsonNode git = metadata.get("git");
    assertTrue(git != null, metadata.toString());
    assertEquals(commit, git.get("commit").asText());
    assertEquals("exp-7", git.get("branch").asText());
    assertEquals("git@git.example.com:ml/model.git", git.get("remote").asText());
    assertFalse(git.get("dirty").asBoolean(), "the run directory is untracked, not a change");
    assertEquals("running", metadata.get("state").asText(), "W&B's generic keys stay");

    List<String> requirements = Files.readAllLines(files.resolve("requirements.txt"));
    String vertx = "io.vertx:vertx-core==" + Vertx.class.getPackage().getImplementationVersion();
    assertTrue(requirements.contains(vertx), vertx + " in " + requirements);
    List<String> sorted = new ArrayList<>(requirements);
    sorted.sort(null);
    assertEquals(sorted, requirements);
  }

  @Test
  void outsideARepositoryThereAreNoGitKeysAndNoError() throws Exception {
    Path plain = dir.resolve("plain");
    Files.createDirectories(plain);
    Path files = runIn(plain, "nogit");
    JsonNode metadata = new ObjectMapper().readTree(files.resolve("wandb-metadata.json").toFile());
    assertFalse(metadata.has("git"), metadata.toString());
    assertFalse(metadata.has("codePath"), metadata.toString());
    assertTrue(metadata.has("host"), metadata.toString());
    assertTrue(Files.size(files.resolve("requirements.txt")) > 0);
  }

  @Test
  void wandbDisableGitLeavesTheRepositoryUnnamed() throws Exception {
    assumeTrue(GitRepos.gitAvailable(), "no git binary here");
    Path repo = dir.resolve("private-repo");
    GitRepos.createWithCommit(repo, "main", "git@git.example.com:ml/secret.git");
    Path files = runIn(repo, "gitoff", Map.of("WANDB_DISABLE_GIT", "true"));
    JsonNode metadata = new ObjectMapper().readTree(files.resolve("wandb-metadata.json").toFile());
    assertFalse(metadata.has("git"), metadata.toString());
    assertFalse(metadata.toString().contains("secret.git"), metadata.toString());
    assertTrue(metadata.has("host"), metadata.toString());
  }

  private Path runIn(Path workDir, String runId) throws Exception {
    return runIn(workDir, runId, Map.of());
  }

  private Path runIn(Path workDir, String runId, Map<String, String> env) throws Exception {
    List<String> command =
        List.of(
            Path.of(System.getProperty("java.home"), "bin", "java").toString(),
            "-cp",
            System.getProperty("java.class.path"),
            MetadataChild.class.getName(),
            workDir.resolve("runs").toString(),
            runId);
    try (ChildProcess child = ChildProcess.in(workDir, command, env)) {
      String runDir = child.await("DIR ", Duration.ofSeconds(60));
      assertEquals(0, child.exitCode(Duration.ofSeconds(60)), child.output());
      assertTrue(child.stderr().isEmpty(), "no error said: " + child.output());
      return Path.of(runDir).resolve("files");
    }
  }
}
