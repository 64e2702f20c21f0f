package dev.runbus.server.graphql;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.core.json.JsonReadFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import dev.runbus.server.store.FileStreamPost;
import dev.runbus.server.store.RunKey;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every GraphQL operation W&B's clients send while they log a run (v0.16's Python internal
 * process and wandb-core), in their own request shapes, answered in the shapes they read.
 */
class WandbOperationsTest {
  private static final ObjectMapper LENIENT =
      JsonMapper.builder().enable(JsonReadFeature.ALLOW_NON_NUMERIC_NUMBERS).build();
  @TempDir Path dir;
  GraphQlHarness h;

  @BeforeEach
  void start() {
    h = new GraphQlHarness(dir);
    h.user("alice");
  }

  @AfterEach
  void stop() {
    // No store call ran on an event loop: the SQL store blocks on JDBC.
    assertEquals(0, h.guard.eventLoopCalls.get());
    h.close();
  }

  @Test
  void capabilityProbeListsTheFieldsOfQueryMutationAndServerInfo() {
    JsonObject answer = h.post("alice", Bodies.python("probe-server-capabilities.graphql", null));
    assertNull(answer.getValue("errors"), answer.encode());
    JsonObject data = answer.getJsonObject("data");
    assertTrue(names(data, "QueryType").containsAll(Set.of("viewer", "serverInfo", "project", "model", "entity")));
    // createRunFiles listed: v0.16 then asks for upload URLs with CreateRunFiles.
    assertTrue(names(data, "MutationType").containsAll(Set.of("upsertBucket", "createRunFiles", "stopRun")));
    assertTrue(names(data, "ServerInfoType").containsAll(Set.of("cliVersionInfo", "latestLocalVersionInfo")));
  }

  @Test
  void serverSettingsProbeFindsTheType() {
    // v0.16 reads ServerSettingsType.fields and fails on a null type.
    JsonObject answer = h.post("alice", Bodies.python("probe-server-settings.graphql", null));
    assertNull(answer.getValue("errors"), answer.encode());
    assertEquals(Set.of("serverMessages"), names(answer.getJsonObject("data"), "ServerSettingsType"));
  }

  @Test
  void theStandardIntrospectionQueryPassesTheLimits() {
    JsonObject body = new JsonObject().put("query", GraphQlHarness.doc("introspection-query.graphql"));
    JsonObject answer = h.post("alice", body);
    assertNull(answer.getValue("errors"), answer.encode());
    assertEquals("Query", answer.getJsonObject("data").getJsonObject("__schema").getJsonObject("queryType").getString("name"));
  }

  @Test
  void viewerWithServerInfoAsV016AsksForIt() {
    JsonObject data = data(h.post("alice", Bodies.python("viewer-016.graphql", null)));
    JsonObject viewer = data.getJsonObject("viewer");
    assertEquals("alice", viewer.getString("entity"));
    assertEquals("alice", viewer.getString("username"));
    assertNotNull(viewer.getString("id"));
    assertEquals(new JsonArray(), viewer.getJsonObject("teams").getJsonArray("edges"));
    assertEquals(Boolean.FALSE, new JsonObject(viewer.getString("flags")).getBoolean("code_saving_enabled"));
    JsonObject serverInfo = data.getJsonObject("serverInfo");
    // An object, as v0.16 reads cliVersionInfo.get("max_cli_version"); no maximum is set.
    assertEquals(new JsonObject(), serverInfo.getJsonObject("cliVersionInfo"));
    JsonObject local = serverInfo.getJsonObject("latestLocalVersionInfo");
    assertEquals(false, local.getBoolean("outOfDate"));
    assertNotNull(local.getString("versionOnThisInstanceString"));
  }

  @Test
  void viewerAsWandbCoreSendsItGzippedWithoutVariables() {
    JsonObject body = Bodies.core("viewer-core.graphql", "Viewer", null);
    assertFalse(body.containsKey("variables"));
    var response = h.postRaw("alice", body.toBuffer(), true);
    assertEquals(200, response.statusCode(), response.bodyAsString());
    JsonObject answer = response.bodyAsJsonObject();
    assertEquals("alice", data(answer).getJsonObject("viewer").getString("entity"));
  }

  @Test
  void serverFeaturesAdvertiseOnlyWhatIsImplemented() {
    JsonObject data = data(h.post("alice", Bodies.core("server-features-core.graphql", "ServerFeaturesQuery", null)));
    Map<String, Boolean> features = new java.util.HashMap<>();
    for (Object f : data.getJsonObject("serverInfo").getJsonArray("features")) {
      JsonObject feature = (JsonObject) f;
      features.put(feature.getString("name"), feature.getBoolean("isEnabled"));
    }
    assertEquals(Boolean.TRUE, features.get("FILESTREAM_GZIP"));
    assertEquals(Boolean.FALSE, features.get("STRUCTURED_CONSOLE_LOGS"));
    assertEquals(
        Set.of("FILESTREAM_GZIP"),
        features.entrySet().stream().filter(Map.Entry::getValue).map(Map.Entry::getKey).collect(Collectors.toSet()));
    JsonObject info = data(h.post("alice", Bodies.core("server-info-core.graphql", "ServerInfo", null)));
    assertNotNull(info.getJsonObject("serverInfo").getJsonObject("latestLocalVersionInfo"));
  }

  @Test
  void organizationCoreWeaveIdIsAbsent() {
    JsonObject answer = h.post("alice", Bodies.core("organization-coreweave-core.graphql",
        "OrganizationCoreWeaveOrganizationID", new JsonObject().put("entityName", "alice")));
    assertNull(answer.getValue("errors"), answer.encode());
    JsonObject entity = answer.getJsonObject("data").getJsonObject("entity");
    assertNotNull(entity);
    assertTrue(entity.containsKey("organization"));
    assertNull(entity.getValue("organization"));
  }

  @Test
  void upsertBucketCreatesThenUpdatesARun() throws Exception {
    // v0.16's first upsert: entity left to the server, config as a JSON string with NaN in it.
    JsonObject first = Bodies.upsertVariables()
        .put("name", "b81edb41").put("project", "mnist-demo").put("host", "vm").put("debug", false)
        .put("program", "/home/user/train.py")
        .put("config", "{\"lr\": {\"desc\": null, \"value\": 0.01}, \"eps\": {\"desc\": null, \"value\": NaN}, \"_wandb\": {\"desc\": null, \"value\": {\"t\": {\"1\": [55]}}}}");
    JsonObject created = data(h.post("alice", Bodies.python("upsert-bucket-016.graphql", first))).getJsonObject("upsertBucket");
    assertEquals(true, created.getBoolean("inserted"));
    assertEquals(new JsonArray(), created.getJsonObject("serverSettings").getJsonArray("serverMessages"));
    JsonObject bucket = created.getJsonObject("bucket");
    assertEquals("b81edb41", bucket.getString("name"));
    assertNotNull(bucket.getString("id"));
    assertNotNull(bucket.getString("displayName"));
    assertEquals(0, bucket.getInteger("historyLineCount"));
    assertEquals("mnist-demo", bucket.getJsonObject("project").getString("name"));
    assertEquals("alice", bucket.getJsonObject("project").getJsonObject("entity").getString("name"));
    JsonNode config = LENIENT.readTree(bucket.getString("config"));
    assertEquals(0.01, config.path("lr").path("value").asDouble());
    assertTrue(Double.isNaN(config.path("eps").path("value").asDouble()), config.toString());

    // wandb-core's later upsert: the id back, everything W&B can set, config replaced.
    JsonObject second = Bodies.upsertVariables()
        .put("id", bucket.getString("id")).put("name", "b81edb41").put("project", "mnist-demo")
        .put("entity", "alice").put("groupName", "sweep-a").put("jobType", "train")
        .put("notes", "first try").put("tags", new JsonArray().add("baseline").add("gpu"))
        .put("state", "running").put("displayName", "lovely-dawn-1")
        .put("config", "{\"lr\":{\"value\":0.02},\"_wandb\":{\"value\":{\"t\":{\"1\":[55]}}}}")
        .put("summaryMetrics", "{\"loss\": 0.5}");
    JsonObject updated = data(h.post("alice", Bodies.core("upsert-bucket-core.graphql", "UpsertBucket", second))).getJsonObject("upsertBucket");
    assertEquals(false, updated.getBoolean("inserted"));
    assertEquals(bucket.getString("id"), updated.getJsonObject("bucket").getString("id"));
    assertEquals("lovely-dawn-1", updated.getJsonObject("bucket").getString("displayName"));

    JsonObject run = resumeStatus("mnist-demo", "b81edb41");
    assertEquals(List.of("baseline", "gpu"), run.getJsonArray("tags").getList());
    assertEquals("first try", run.getString("notes"));
    assertEquals(0.02, new JsonObject(run.getString("config")).getJsonObject("lr").getDouble("value"));
    assertEquals(0.5, new JsonObject(run.getString("summaryMetrics")).getDouble("loss"));
    var stored = h.rawStore.runs().find(h.user("alice"), new RunKey("alice", "mnist-demo", "b81edb41")).orElseThrow();
    assertEquals("sweep-a", stored.group());
    assertEquals("train", stored.jobType());
    assertEquals("running", stored.state());
    assertEquals("vm", stored.host());
    assertEquals("/home/user/train.py", stored.program());
  }

  @Test
  void upsertByStorageIdAloneUpdatesThatRun() {
    String id = createRun("p", "r1");
    JsonObject v = Bodies.upsertVariables().put("id", id).put("notes", "by id");
    JsonObject bucket = data(h.post("alice", Bodies.core("upsert-bucket-core.graphql", "UpsertBucket", v)))
        .getJsonObject("upsertBucket").getJsonObject("bucket");
    assertEquals("r1", bucket.getString("name"));
    assertEquals("by id", resumeStatus("p", "r1").getString("notes"));
  }

  @Test
  void configThatIsNotJsonIsRefusedWithAMessage() {
    JsonObject v = Bodies.upsertVariables().put("name", "r1").put("config", "{not json");
    JsonObject answer = h.post("alice", Bodies.core("upsert-bucket-core.graphql", "UpsertBucket", v));
    assertNull(answer.getJsonObject("data").getValue("upsertBucket"));
    String message = answer.getJsonArray("errors").getJsonObject(0).getString("message");
    assertTrue(message.contains("config"), message);
  }

  @Test
  void upsertWithoutANameGetsOne() {
    JsonObject v = Bodies.upsertVariables().put("project", "p");
    JsonObject bucket = data(h.post("alice", Bodies.core("upsert-bucket-core.graphql", "UpsertBucket", v)))
        .getJsonObject("upsertBucket").getJsonObject("bucket");
    assertTrue(bucket.getString("name").matches("[a-z0-9]{8}"), bucket.encode());
  }

  @Test
  void runUploadUrlsAndCreateRunFilesPointAtThisServer() {
    String id = createRun("p", "r1");
    long runId = h.rawStore.runs().find(h.user("alice"), new RunKey("alice", "p", "r1")).orElseThrow().id();
    h.rawStore.files().recordUpload(runId, "wandb-metadata.json", 12, "MTIzNDU2Nzg5MDEyMzQ1Ng==");
    JsonObject legacy = data(h.post("alice", Bodies.python("run-upload-urls-016.graphql", new JsonObject()
        .put("name", "p").put("run", "r1").put("entity", "alice")
        .put("files", new JsonArray().add("wandb-metadata.json").add("output.log")).putNull("description"))));
    JsonObject bucket = legacy.getJsonObject("model").getJsonObject("bucket");
    assertEquals(id, bucket.getString("id"));
    assertEquals(new JsonArray(), bucket.getJsonObject("files").getJsonArray("uploadHeaders"));
    JsonObject node = bucket.getJsonObject("files").getJsonArray("edges").getJsonObject(0).getJsonObject("node");
    assertEquals("wandb-metadata.json", node.getString("name"));
    assertTrue(node.getString("url").startsWith(h.baseUrl + "/upload/"), node.encode());
    assertNotNull(node.getString("updatedAt"), node.encode());
    JsonObject notYet = bucket.getJsonObject("files").getJsonArray("edges").getJsonObject(1).getJsonObject("node");
    assertEquals("output.log", notYet.getString("name"));
    assertNull(notYet.getValue("updatedAt"));
    assertTrue(notYet.getString("url").startsWith(h.baseUrl + "/upload/"), notYet.encode());

    List<String> names = List.of("wandb-metadata.json", "requirements.txt", "wandb-summary.json", "config.yaml", "media/images/x_1.png");
    JsonObject created = data(h.post("alice", Bodies.core("create-run-files-core.graphql", "CreateRunFiles", new JsonObject()
        .put("entity", "alice").put("project", "p").put("run", "r1").put("files", new JsonArray(names)))))
        .getJsonObject("createRunFiles");
    assertEquals(id, created.getString("runID"));
    assertEquals(new JsonArray(), created.getJsonArray("uploadHeaders"));
    List<String> answered = new ArrayList<>();
    for (Object f : created.getJsonArray("files")) {
      JsonObject file = (JsonObject) f;
      answered.add(file.getString("name"));
      assertTrue(file.getString("uploadUrl").startsWith(h.baseUrl + "/upload/"), file.encode());
      assertTrue(file.getString("uploadUrl").contains(file.getString("name")), file.encode());
    }
    assertEquals(names, answered);
  }

  @Test
  void aRunAskedToStopSaysSo() {
    String id = createRun("test", "b81edb41");
    JsonObject vars = new JsonObject().put("projectName", "test").put("entityName", "alice").put("runId", "b81edb41");
    assertEquals(false, stopped(vars));
    JsonObject answer = data(h.post("alice", Bodies.core("stop-run-core.graphql", "StopRun", new JsonObject().put("id", id))));
    assertEquals(true, answer.getJsonObject("stopRun").getBoolean("success"));
    assertEquals(true, stopped(vars));
  }

  @Test
  void resumeStatusReportsCountsTailsConfigAndSummary() {
    createRun("p", "r1");
    var alice = h.user("alice");
    RunKey key = new RunKey("alice", "p", "r1");
    List<String> rows = new ArrayList<>();
    for (int step = 0; step < 25; step++) {
      rows.add("{\"loss\": " + (step == 3 ? "NaN" : "0.5") + ", \"_step\": " + step + ", \"_runtime\": " + step + ".5}");
    }
    List<String> events = List.of("{\"system.cpu\": 10, \"_wandb\": true, \"_runtime\": 30.0}");
    h.rawStore.fileStreams().apply(alice, key, new FileStreamPost(
        Map.of("wandb-history.jsonl", new FileStreamPost.Chunk(0, rows),
            "wandb-events.jsonl", new FileStreamPost.Chunk(0, events)),
        List.of(), false, null, false));

    JsonObject model = data(h.post("alice", Bodies.python("run-resume-status-016.graphql",
        new JsonObject().put("project", "p").put("entity", "alice").put("name", "r1")))).getJsonObject("model");
    assertEquals("p", model.getString("name"));
    assertEquals("alice", model.getJsonObject("entity").getString("name"));
    JsonObject bucket = model.getJsonObject("bucket");
    assertEquals(25, bucket.getInteger("historyLineCount"));
    assertEquals(1, bucket.getInteger("eventsLineCount"));
    assertEquals(0, bucket.getInteger("logLineCount"));
    // historyTail: a JSON array of line texts, the last being the last line sent.
    JsonArray tail = new JsonArray(bucket.getString("historyTail"));
    assertEquals(rows.get(24), tail.getString(tail.size() - 1));
    assertEquals(events, new JsonArray(bucket.getString("eventsTail")).getList());

    JsonObject core = resumeStatus("p", "r1");
    // wandb-core takes a run without config._wandb.value.t for one that never started.
    assertEquals(new JsonObject().put("t", new JsonObject().put("1", new JsonArray().add(55))), new JsonObject(core.getString("wandbConfig")));
    assertNotNull(core.getJsonObject("runInfo"));
  }

  @Test
  void resumeStatusOfAMissingRunIsNull() {
    JsonObject model = data(h.post("alice", Bodies.core("run-resume-status-core.graphql", "RunResumeStatus",
        new JsonObject().put("project", "p").putNull("entity").put("name", "nope")))).getJsonObject("model");
    assertNotNull(model);
    assertTrue(model.containsKey("bucket"));
    assertNull(model.getValue("bucket"));
  }

  private JsonObject resumeStatus(String project, String name) {
    return data(h.post("alice", Bodies.core("run-resume-status-core.graphql", "RunResumeStatus",
        new JsonObject().put("project", project).put("entity", "alice").put("name", name))))
        .getJsonObject("model").getJsonObject("bucket");
  }

  private Boolean stopped(JsonObject vars) {
    return data(h.post("alice", Bodies.python("run-stopped-status-016.graphql", vars)))
        .getJsonObject("project").getJsonObject("run").getBoolean("stopped");
  }

  private String createRun(String project, String name) {
    JsonObject v = Bodies.upsertVariables().put("name", name).put("project", project)
        .put("config", "{\"_wandb\":{\"value\":{\"t\":{\"1\":[55]}}}}");
    return data(h.post("alice", Bodies.core("upsert-bucket-core.graphql", "UpsertBucket", v)))
        .getJsonObject("upsertBucket").getJsonObject("bucket").getString("id");
  }

  static JsonObject data(JsonObject answer) {
    assertNull(answer.getValue("errors"), answer.encode());
    return answer.getJsonObject("data");
  }

  private static Set<String> names(JsonObject data, String alias) {
    return data.getJsonObject(alias).getJsonArray("fields").stream()
        .map(f -> ((JsonObject) f).getString("name")).collect(Collectors.toSet());
  }
}
