package dev.runbus.server.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.runbus.server.store.BadInputException;
import dev.runbus.server.store.FileStreamPost;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class FileStreamRequestsTest {

  private static FileStreamPost parse(String json) {
    return FileStreamRequests.parse(json.getBytes(StandardCharsets.UTF_8));
  }

  @Test
  void readsWandbDataPostWithLinesKeptAsSent() {
    FileStreamPost post =
        parse(
            "{\"files\": {\"wandb-history.jsonl\": {\"offset\": 12, \"content\":"
                + " [\"{\\\"loss\\\": NaN, \\\"_step\\\": 12}\"]},"
                + " \"output.log\": {\"offset\": 3, \"content\": [\"a\\n\", \"\\rb\"]}},"
                + " \"uploaded\": [\"config.yaml\"], \"dropped\": 0}");
    assertEquals(12, post.files().get("wandb-history.jsonl").offset());
    assertEquals(
        List.of("{\"loss\": NaN, \"_step\": 12}"), post.files().get("wandb-history.jsonl").lines());
    assertEquals(List.of("a\n", "\rb"), post.files().get("output.log").lines());
    assertEquals(List.of("config.yaml"), post.uploaded());
    assertFalse(post.complete());
    assertNull(post.exitcode());
  }

  @Test
  void readsTheFinalPostAndHeartbeats() {
    FileStreamPost last = parse("{\"complete\": true, \"exitcode\": 3, \"uploaded\": []}");
    assertTrue(last.complete());
    assertEquals(3, last.exitcode());
    FileStreamPost heartbeat = parse("{}");
    assertTrue(heartbeat.files().isEmpty());
    FileStreamPost legacyHeartbeat = parse("{\"complete\": false, \"failed\": false, \"dropped\": 0}");
    assertFalse(legacyHeartbeat.complete());
    assertTrue(parse("{\"preempting\": true}").preempting());
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        "{\"files\": {\"wandb-history.jsonl\": {\"offset\": 1, \"content\": [\"{}\"]  | not valid JSON",
        "[1, 2]                                                                      | JSON object",
        "{\"files\": []}                                                             | files:",
        "{\"files\": {\"h\": {\"offset\": \"3\", \"content\": []}}}                  | files[\"h\"].offset",
        "{\"files\": {\"h\": {\"offset\": -1, \"content\": []}}}                     | files[\"h\"].offset",
        "{\"files\": {\"h\": {\"offset\": 1.5, \"content\": []}}}                    | files[\"h\"].offset",
        "{\"files\": {\"h\": {\"offset\": 0, \"content\": \"x\"}}}                   | files[\"h\"].content",
        "{\"files\": {\"h\": {\"offset\": 0, \"content\": [\"ok\", 7]}}}             | files[\"h\"].content[1]",
        "{\"files\": {\"h\": 5}}                                                     | files[\"h\"]:",
        "{\"complete\": \"yes\"}                                                     | complete:",
        "{\"exitcode\": \"0\"}                                                       | exitcode:",
        "{\"exitcode\": 1e20}                                                        | exitcode:",
        "{\"uploaded\": [1]}                                                         | uploaded[0]",
        "{\"preempting\": 1}                                                         | preempting:"
      })
  void refusesWrongShapesNamingTheField(String body, String named) {
    BadInputException e = assertThrows(BadInputException.class, () -> parse(body.trim()));
    assertTrue(e.getMessage().contains(named.trim()), e.getMessage());
  }

  @Test
  void ofSeveralProblemsTheBrokenJsonIsNamedFirstThenTheFilesAndSoOn() {
    BadInputException broken =
        assertThrows(BadInputException.class, () -> parse("{\"complete\": 1, \"files\": {"));
    assertTrue(broken.getMessage().contains("not valid JSON"), broken.getMessage());
    BadInputException first =
        assertThrows(
            BadInputException.class,
            () -> parse("{\"exitcode\": \"x\", \"complete\": 1, \"files\": {\"h\": 3}}"));
    assertTrue(first.getMessage().startsWith("files[\"h\"]"), first.getMessage());
    FileStreamPost lastWins =
        parse("{\"files\": 5, \"files\": {\"h\": {\"content\": [\"a\"], \"offset\": 2}}}");
    assertEquals(2, lastWins.files().get("h").offset());
    assertEquals(List.of("a"), lastWins.files().get("h").lines());
  }

  @Test
  void refusesAnEmptyBody() {
    assertThrows(BadInputException.class, () -> FileStreamRequests.parse(new byte[0]));
  }

  @Test
  void aParseErrorDoesNotEchoTheBody() {
    String secretish = "x".repeat(5000);
    BadInputException e =
        assertThrows(BadInputException.class, () -> parse("{\"files\": " + secretish));
    assertTrue(e.getMessage().length() < 400, e.getMessage());
  }
}
