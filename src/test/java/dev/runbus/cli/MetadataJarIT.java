package dev.runbus.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.runbus.client.Version;
import dev.runbus.testing.GitRepos;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code java -jar runbus.jar demo} started in a git repository: the packaged jar writes the git
 * keys into {@code wandb-metadata.json}, and names itself in {@code requirements.txt} (a shaded
 * jar has no pom.properties: its manifest says it).
 */
class MetadataJarIT {

  @TempDir Path dir;

  @Test
  void theDemoInARepositoryRecordsItsCommitAndTheJar() throws Exception {
    assumeTrue(GitRepos.gitAvailable(), "no git binary here");
    Path repo = dir.resolve("repo");
    String commit = GitRepos.createWithCommit(repo, "main", "https://git.example.com/ml/demo.git");
    RunbusJar.Result demo = RunbusJar.in(repo).run("demo", "--steps", "5", "--dir", "out");
    assertEquals(0, demo.code(), demo.toString());

    Path files;
    try (Stream<Path> walk = Files.walk(repo.resolve("out/wandb"))) {
      files =
          walk.filter(p -> p.endsWith("files") && Files.isDirectory(p)).findFirst().orElseThrow();
    }
    JsonNode metadata = RecordJson.MAPPER.readTree(files.resolve("wandb-metadata.json").toFile());
    JsonNode git = metadata.get("git");
    assertTrue(git != null, metadata.toString());
    assertEquals(commit, git.get("commit").asText());
    assertEquals("main", git.get("branch").asText());
    assertEquals("https://git.example.com/ml/demo.git", git.get("remote").asText());

    List<String> requirements = Files.readAllLines(files.resolve("requirements.txt"));
    assertEquals(List.of("dev.runbus:runbus==" + Version.VERSION), requirements);
  }
}
