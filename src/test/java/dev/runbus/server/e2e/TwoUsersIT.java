package dev.runbus.server.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;

import dev.runbus.testing.ServerProcess;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two users, two keys, one server: neither reads nor writes the other's runs through GraphQL,
 * FileStream, uploads or the read API, and what the other sees of a refused attempt is nothing.
 */
class TwoUsersIT {
  @TempDir Path dir;

  @Test
  void neitherUserReachesTheOthersRuns() throws Exception {
    Path data = dir.resolve("data");
    String aliceKey = ServerProcess.createKey(data, null, "alice");
    String bobKey = ServerProcess.createKey(data, null, "bob");
    try (ServerProcess server = ServerProcess.start(data, null);
        WandbShapedClient alice = new WandbShapedClient(server.url(), aliceKey);
        WandbShapedClient bob = new WandbShapedClient(server.url(), bobKey)) {
      alice.upsertRun(null, "secret", "run1", new JsonObject().put("config", "{\"lr\": {\"value\": 0.5}}"));
      assertEquals(200, alice.fileStream("alice", "secret", "run1", HistoryLines.historyPost(0, 10, 2, false), false).statusCode());
      String aliceUpload = alice.uploadUrls("alice", "secret", "run1", List.of("notes.txt")).getString("notes.txt");
      assertEquals(200, alice.put(aliceUpload, "alice's".getBytes(StandardCharsets.UTF_8)).statusCode());

      // GraphQL: bob asking for alice's run by her entity sees nothing of it
      JsonObject resume =
          bob.graphqlPython(
              "run-resume-status-016.graphql",
              new JsonObject().put("project", "secret").put("entity", "alice").put("name", "run1"));
      assertFalse(resume.encode().contains("0.5"), resume.encode());
      JsonObject model = resume.getJsonObject("data") == null ? null : resume.getJsonObject("data").getJsonObject("model");
      if (model != null) {
        assertNull(model.getValue("bucket"), resume.encode());
      }
      // upserting into alice's entity is refused, and her run keeps its config
      JsonObject stolen =
          bob.upsertRun("alice", "secret", "run1", new JsonObject().put("config", "{\"lr\": {\"value\": 9}}"));
      JsonArray errors = stolen.getJsonArray("errors");
      assertFalse(errors == null || errors.isEmpty(), stolen.encode());

      // FileStream into alice's run: 404, nothing stored
      int status = bob.fileStream("alice", "secret", "run1", HistoryLines.historyPost(10, 10, 2, false), false).statusCode();
      assertEquals(404, status);

      // upload URLs for alice's run are not handed to bob
      JsonObject urls =
          bob.graphqlPython(
              "run-upload-urls-016.graphql",
              new JsonObject().put("name", "secret").put("entity", "alice").put("run", "run1")
                  .put("files", new JsonArray().add("x.txt")).putNull("description"));
      assertFalse(urls.encode().contains("http"), urls.encode());

      // read API: 404 for every path into alice's data
      String run = "/api/v1/entities/alice/projects/secret/runs/run1";
      for (String path : List.of(run, run + "/history", run + "/console", run + "/files", run + "/file?name=notes.txt", "/api/v1/entities/alice/projects")) {
        int code = bob.get(path).statusCode();
        assertEquals(true, code == 404 || code == 403, path + " answered " + code);
      }

      // alice's run is as she left it
      JsonObject mine = alice.get(run).bodyAsJsonObject();
      assertEquals(10, mine.getLong("historyLineCount"));
      assertEquals(0.5, mine.getJsonObject("config").getJsonObject("lr").getDouble("value"), 0.0);
      assertEquals("alice's", alice.get(run + "/file?name=notes.txt").bodyAsString());
    }
  }
}
