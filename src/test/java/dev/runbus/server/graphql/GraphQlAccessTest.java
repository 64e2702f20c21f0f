package dev.runbus.server.graphql;

import static dev.runbus.server.graphql.WandbOperationsTest.data;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.runbus.server.store.RunKey;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Two users, two entities: neither reads nor writes the other's runs through GraphQL. */
class GraphQlAccessTest {
  @TempDir Path dir;
  GraphQlHarness h;
  String aliceRunId;

  @BeforeEach
  void start() {
    h = new GraphQlHarness(dir);
    h.user("alice");
    h.user("bob");
    JsonObject v = Bodies.upsertVariables().put("name", "secret1").put("project", "p")
        .put("config", "{\"token\":{\"value\":\"alice-only\"}}").put("notes", "alice's notes");
    aliceRunId = data(h.post("alice", Bodies.core("upsert-bucket-core.graphql", "UpsertBucket", v)))
        .getJsonObject("upsertBucket").getJsonObject("bucket").getString("id");
  }

  @AfterEach
  void stop() {
    h.close();
  }

  @Test
  void eachViewerIsItsOwnEntity() {
    assertEquals("bob", data(h.post("bob", Bodies.python("viewer-016.graphql", null)))
        .getJsonObject("viewer").getString("entity"));
    JsonObject entity = data(h.post("bob", Bodies.core("organization-coreweave-core.graphql",
        "OrganizationCoreWeaveOrganizationID", new JsonObject().put("entityName", "alice"))));
    assertNull(entity.getValue("entity"));
  }

  @Test
  void anotherEntitysRunCannotBeRead() {
    JsonObject stopped = data(h.post("bob", Bodies.python("run-stopped-status-016.graphql",
        new JsonObject().put("projectName", "p").put("entityName", "alice").put("runId", "secret1"))));
    assertNull(stopped.getValue("project"));
    JsonObject resume = data(h.post("bob", Bodies.core("run-resume-status-core.graphql", "RunResumeStatus",
        new JsonObject().put("project", "p").put("entity", "alice").put("name", "secret1"))));
    assertNull(resume.getValue("model"));
    // Bob's own project of that name has no such run.
    JsonObject own = data(h.post("bob", Bodies.core("run-resume-status-core.graphql", "RunResumeStatus",
        new JsonObject().put("project", "p").putNull("entity").put("name", "secret1"))));
    assertNull(own.getJsonObject("model").getValue("bucket"));
    JsonObject urls = data(h.post("bob", Bodies.python("run-upload-urls-016.graphql", new JsonObject()
        .put("name", "p").put("run", "secret1").put("entity", "alice")
        .put("files", new JsonArray().add("x.txt")).putNull("description"))));
    assertNull(urls.getValue("model"));
  }

  @Test
  void anotherEntitysRunCannotBeWritten() {
    JsonObject v = Bodies.upsertVariables().put("name", "secret1").put("project", "p")
        .put("entity", "alice").put("notes", "bob was here");
    JsonObject upsert = h.post("bob", Bodies.core("upsert-bucket-core.graphql", "UpsertBucket", v));
    refused(upsert, "upsertBucket");

    JsonObject files = h.post("bob", Bodies.core("create-run-files-core.graphql", "CreateRunFiles", new JsonObject()
        .put("entity", "alice").put("project", "p").put("run", "secret1").put("files", new JsonArray().add("x.txt"))));
    refused(files, "createRunFiles");

    JsonObject stop = h.post("bob", Bodies.core("stop-run-core.graphql", "StopRun", new JsonObject().put("id", aliceRunId)));
    refused(stop, "stopRun");

    var run = h.rawStore.runs().find(h.user("alice"), new RunKey("alice", "p", "secret1")).orElseThrow();
    assertEquals("alice's notes", run.notes());
    assertFalse(run.stopRequested());
  }

  /** A GraphQL error, the mutation's field null, and nothing of alice's run in the answer. */
  private static void refused(JsonObject answer, String field) {
    assertFalse(answer.getJsonArray("errors").isEmpty(), answer.encode());
    assertNull(answer.getJsonObject("data").getValue(field), answer.encode());
    String text = answer.encode();
    assertFalse(text.contains("alice-only"), text);
    assertFalse(text.contains("alice's notes"), text);
    String message = answer.getJsonArray("errors").getJsonObject(0).getString("message");
    assertTrue(message.contains("not found") || message.contains("no such"), text);
  }
}
