package dev.runbus.server.graphql;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Documents the schema refuses, and failures inside: a GraphQL error in a 200, never a 500. */
class GraphQlBadInputTest {
  @TempDir Path dir;
  GraphQlHarness h;

  @BeforeEach
  void start() {
    h = new GraphQlHarness(dir);
    h.user("alice");
  }

  @AfterEach
  void stop() {
    h.close();
  }

  @Test
  void anUnknownFieldIsAValidationError() {
    JsonObject answer = h.post("alice", new JsonObject().put("query", "{ viewer { entity shoeSize } }"));
    assertNull(answer.getValue("data"));
    JsonObject error = answer.getJsonArray("errors").getJsonObject(0);
    assertTrue(error.getString("message").contains("shoeSize"), error.encode());
    assertEquals("ValidationError", error.getJsonObject("extensions").getString("classification"));
  }

  @Test
  void anOperationNotInTheDocumentIsAnError() {
    JsonObject body = Bodies.core("viewer-core.graphql", "LaunchAgentIntrospection", null);
    JsonObject answer = h.post("alice", body);
    assertFalse(answer.getJsonArray("errors").isEmpty(), answer.encode());
    assertNull(answer.getValue("data"));
  }

  @Test
  void anUnknownMutationIsAnError() {
    JsonObject answer = h.post("alice", new JsonObject().put("query",
        "mutation CreateArtifact { createArtifact(input: {}) { artifact { id } } }"));
    assertFalse(answer.getJsonArray("errors").isEmpty(), answer.encode());
  }

  @Test
  void brokenSyntaxIsAnError() {
    JsonObject answer = h.post("alice", new JsonObject().put("query", "query Viewer { viewer { entity"));
    assertEquals("InvalidSyntax",
        answer.getJsonArray("errors").getJsonObject(0).getJsonObject("extensions").getString("classification"));
  }

  @Test
  void aQueryDeeperThanTheLimitIsRefused() {
    // Nested fragments of __Type reach any depth: 20 levels of ofType.
    StringBuilder q = new StringBuilder("{ __type(name: \"Query\") { ");
    for (int i = 0; i < 20; i++) {
      q.append("ofType { ");
    }
    q.append("name");
    q.append(" }".repeat(21)).append(" }");
    JsonObject answer = h.post("alice", new JsonObject().put("query", q.toString()));
    assertNull(answer.getValue("data"));
    assertTrue(answer.getJsonArray("errors").getJsonObject(0).getString("message").contains("maximum query depth exceeded"),
        answer.encode());
  }

  @Test
  void aQueryOfTooManyFieldsIsRefused() {
    StringBuilder q = new StringBuilder("{ ");
    for (int i = 0; i < WandbSchema.MAX_COMPLEXITY + 1; i++) {
      q.append("f").append(i).append(": serverInfo { exposesExplicitRunQueueAckPath } ");
    }
    JsonObject answer = h.post("alice", new JsonObject().put("query", q.append("}").toString()));
    assertNull(answer.getValue("data"));
    assertTrue(answer.getJsonArray("errors").getJsonObject(0).getString("message").contains("maximum query complexity exceeded"),
        answer.encode());
  }

  @Test
  void variablesOfTheWrongTypeAreAnError() {
    JsonObject vars = new JsonObject().put("projectName", "p").put("entityName", "alice").put("runId", new JsonArray().add(1));
    JsonObject answer = h.post("alice", Bodies.python("run-stopped-status-016.graphql", vars));
    assertFalse(answer.getJsonArray("errors").isEmpty(), answer.encode());
  }

  @Test
  void truncatedJsonIsABadRequest() {
    var response = h.postRaw("alice", Buffer.buffer("{\"query\": \"{ viewer { id"), false);
    assertEquals(400, response.statusCode());
  }

  @Test
  void aFailingStoreLeaksNoExceptionOrSqlText() {
    h.guard.failing.add("find");
    JsonObject vars = new JsonObject().put("projectName", "p").put("entityName", "alice").put("runId", "r1");
    var response = h.postRaw("alice", Bodies.python("run-stopped-status-016.graphql", vars).toBuffer(), false);
    assertEquals(200, response.statusCode());
    String text = response.bodyAsString();
    assertFalse(text.contains("SQLITE"), text);
    assertFalse(text.contains("SELECT"), text);
    assertFalse(text.contains("IllegalStateException"), text);
    assertFalse(text.contains("secret_key"), text);
    JsonObject error = response.bodyAsJsonObject().getJsonArray("errors").getJsonObject(0);
    assertEquals(SafeErrors.INTERNAL, error.getString("message"));
    assertEquals(new JsonArray().add("project").add("run"), error.getJsonArray("path"));
  }

  @Test
  void aStoreRefusalIsPassedOnAsItsMessage() {
    // A file name the upload endpoint refuses: the client learns which and why.
    JsonObject v = Bodies.upsertVariables().put("name", "r1").put("project", "p");
    h.post("alice", Bodies.core("upsert-bucket-core.graphql", "UpsertBucket", v));
    JsonObject answer = h.post("alice", Bodies.core("create-run-files-core.graphql", "CreateRunFiles", new JsonObject()
        .put("entity", "alice").put("project", "p").put("run", "r1").put("files", new JsonArray().add("../../etc/passwd"))));
    String message = answer.getJsonArray("errors").getJsonObject(0).getString("message");
    assertTrue(message.contains("../../etc/passwd"), message);
    assertNull(answer.getJsonObject("data").getValue("createRunFiles"));
  }
}
