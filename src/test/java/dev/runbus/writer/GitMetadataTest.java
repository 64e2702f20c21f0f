package dev.runbus.writer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.runbus.testing.GitRepos;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Git metadata read from real repositories made by the git binary. */
class GitMetadataTest {

  private static final Duration TIMEOUT = Duration.ofSeconds(30);

  @TempDir Path dir;

  @BeforeAll
  static void needsGit() {
    assumeTrue(GitRepos.gitAvailable(), "no git binary here");
  }

  @Test
  void aRepositoryGivesItsCommitBranchRemoteAndWhetherTrackedFilesChanged() throws Exception {
    Path repo = dir.resolve("repo");
    String commit =
        GitRepos.createWithCommit(repo, "train-lr", "https://alice:s3cret@git.example.com/ml/model.git");
    Files.createDirectories(repo.resolve("sub"));

    GitMetadata git = GitMetadata.read(repo.resolve("sub"), TIMEOUT).orElseThrow();
    assertEquals(commit, git.commit());
    assertEquals("train-lr", git.branch());
    assertEquals("https://git.example.com/ml/model.git", git.remote(), "no password uploaded");
    assertEquals(repo.toRealPath(), git.root().toRealPath());
    assertFalse(git.dirty(), "nothing changed; an untracked file does not count");

    Files.writeString(repo.resolve("train.txt"), "epochs: 4\n");
    assertTrue(GitMetadata.read(repo, TIMEOUT).orElseThrow().dirty(), "a tracked file changed");

    Map<String, Object> metadata = new LinkedHashMap<>();
    Files.writeString(repo.resolve("train.jar"), "not really a jar");
    GitMetadata.read(repo, TIMEOUT).orElseThrow().addTo(metadata, repo.resolve("train.jar").toString());
    assertEquals(
        Map.of(
            "remote", "https://git.example.com/ml/model.git",
            "commit", commit,
            "branch", "train-lr",
            "dirty", true),
        metadata.get("git"));
    assertEquals("train.jar", metadata.get("codePath"), "W&B's program path in the repository");
  }

  @Test
  void outsideARepositoryThereIsNone() {
    assertEquals(Optional.empty(), GitMetadata.read(dir, TIMEOUT));
    assertEquals(Optional.empty(), GitMetadata.read(dir.resolve("missing"), TIMEOUT));
  }

  @Test
  void aRepositoryWithoutCommitsOrBranchNamesNeither() throws Exception {
    Path repo = dir.resolve("empty");
    Files.createDirectories(repo);
    GitRepos.git(repo, "init", "-q");
    GitMetadata git = GitMetadata.read(repo, TIMEOUT).orElseThrow();
    assertEquals(null, git.commit());
    assertEquals(null, git.remote());
    Map<String, Object> metadata = new LinkedHashMap<>();
    git.addTo(metadata, "com.example.Train");
    assertFalse(((Map<?, ?>) metadata.get("git")).containsKey("commit"));
    assertFalse(metadata.containsKey("codePath"), "a main class is no file");
  }

  @Test
  void credentialsAreStrippedOnlyWhereThereAreAny() {
    assertEquals(
        "https://host/x.git", GitMetadata.withoutCredentials("https://u:token@host/x.git"));
    assertEquals("git@host:ml/x.git", GitMetadata.withoutCredentials("git@host:ml/x.git"));
    assertEquals("https://host:8443/x", GitMetadata.withoutCredentials("https://host:8443/x"));
  }
}
