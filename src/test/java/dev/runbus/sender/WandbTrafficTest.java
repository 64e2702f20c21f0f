package dev.runbus.sender;

import static dev.runbus.sender.SenderHarness.await;
import static dev.runbus.sender.SenderHarness.eventually;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.runbus.bus.Addresses;
import dev.runbus.bus.Bus;
import dev.runbus.proto.FileStreamFinish;
import dev.runbus.proto.FileStreamProgress;
import dev.runbus.proto.FileStreamTarget;
import dev.runbus.proto.SendProgress;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The Sender's requests against W&B's: a minimal run (config at init, one config change, finish)
 * sent to a stand-in of W&B's test server that answers as the recorded one did
 * ({@code wandb-traffic/core.json}, recorded from wandb-core 0.30; {@code v016.json}, from v0.16).
 * Our operations, their order, their variables and their documents must be W&B's.
 */
class WandbTrafficTest {

  /** The operations the Sender sends; the rest of W&B's traffic (Viewer, probes) it does not need. */
  private static final Set<String> OURS =
      Set.of("UpsertBucket", "CreateRunFiles", "RunResumeStatus", "RunStoppedStatus");

  @TempDir Path dir;
  Vertx vertx;
  HttpServer server;
  final List<JsonObject> graphql = Collections.synchronizedList(new ArrayList<>());
  final List<String> puts = Collections.synchronizedList(new ArrayList<>());
  final List<String> notices = Collections.synchronizedList(new ArrayList<>());
  final List<FileStreamTarget> targets = Collections.synchronizedList(new ArrayList<>());

  @BeforeEach
  void start() {
    vertx = Vertx.vertx();
    Bus.registerCodec(vertx);
    List<JsonObject> core = traffic("core");
    server =
        vertx
            .createHttpServer()
            .requestHandler(
                request ->
                    request
                        .body()
                        .onSuccess(
                            body -> {
                              if (request.path().equals("/graphql")) {
                                JsonObject sent = body.toJsonObject();
                                graphql.add(sent);
                                request.response().end(answerAsRecorded(core, sent).encode());
                              } else {
                                puts.add(request.method() + " " + request.uri() + " " + body.length());
                                request.response().end();
                              }
                            }));
    await(server.listen(0, "127.0.0.1"));
  }

  @AfterEach
  void stop() throws Exception {
    vertx.close().await(30, java.util.concurrent.TimeUnit.SECONDS);
  }

  /**
   * W&B's test server's recorded answer to the operation; CreateRunFiles answers every asked
   * file, with a URL relative to the base (as a self-hosted server may).
   */
  private static JsonObject answerAsRecorded(List<JsonObject> core, JsonObject sent) {
    String operation = sent.getString("operationName");
    if (operation.equals("CreateRunFiles")) {
      JsonArray files = new JsonArray();
      for (Object name : sent.getJsonObject("variables").getJsonArray("files")) {
        files.add(new JsonObject().put("name", name).put("uploadUrl", "/storage?file=" + name));
      }
      return new JsonObject()
          .put(
              "data",
              new JsonObject()
                  .put(
                      "createRunFiles",
                      new JsonObject().put("runID", "UnVu").put("uploadHeaders", new JsonArray()).put("files", files)));
    }
    for (JsonObject recorded : core) {
      if (operation.equals(recorded.getString("operation"))) {
        return recorded.getJsonObject("response");
      }
    }
    return new JsonObject()
        .put("errors", new JsonArray().add(new JsonObject().put("message", "Not implemented")));
  }

  @Test
  void aMinimalRunSendsWandbCoresOperationsVariablesAndDocuments() throws Exception {
    Path runDir = dir.resolve("run");
    Files.createDirectories(runDir.resolve("files"));
    OnlineSetup setup =
        new OnlineSetup(
            "is0b35hw",
            new ServerCredentials(URI.create("http://127.0.0.1:" + server.actualPort()), "k".repeat(40), "test"),
            runDir,
            runDir.resolve("run-is0b35hw.wandb"),
            "",
            "mnist-demo",
            "",
            Duration.ofSeconds(30),
            false);
    vertx
        .eventBus()
        .<com.google.protobuf.Message>consumer(
            Addresses.fileStream("is0b35hw"),
            m -> {
              if (m.body() instanceof FileStreamTarget t) {
                targets.add(t);
              } else if (m.body() instanceof FileStreamFinish) {
                m.reply(FileStreamProgress.newBuilder().setComplete(true).build(), Bus.protobuf());
              }
            });
    SenderTunables tunables =
        new SenderTunables(
            new RetryPolicy(Duration.ofMillis(50), Duration.ofMillis(200), () -> 0.5),
            Duration.ofMillis(100),
            Duration.ofHours(1), // wandb-core learns of a stop from the FileStream, not by polling
            Duration.ofSeconds(10),
            Duration.ZERO.plusMillis(1),
            notices::add);
    await(vertx.deployVerticle(new SenderVerticle(setup, tunables)));
    SenderHarness.Client client = new SenderHarness.Client(vertx, "is0b35hw");
    client.send(SenderHarness.run("is0b35hw", "n", "2000").toBuilder()
        .setRun(SenderHarness.run("is0b35hw", "n", "2000").getRun().toBuilder().setProject("mnist-demo").setHost("vm"))
        .build());
    assertTrue(eventually(() -> targets.size() == 1));
    // W&B's test server names the project "test" and the entity "mock_server_entity": later
    // requests go where the server said
    assertEquals("mock_server_entity", targets.get(0).getEntity());
    assertEquals("test", targets.get(0).getProject());
    client.send(SenderHarness.config("lr", "0.01"));
    assertTrue(eventually(() -> graphql.size() == 2), "the config change was not upserted");
    Path files = runDir.resolve("files");
    Files.writeString(files.resolve("wandb-metadata.json"), "{\"os\": \"Linux\"}");
    Files.writeString(files.resolve("requirements.txt"), "");
    Files.writeString(files.resolve("wandb-summary.json"), "{}");
    Files.writeString(files.resolve("config.yaml"), "n:\n  value: 2000\n");
    client.send(SenderHarness.exit(0));
    SendProgress send = client.finish().getSend();
    assertTrue(send.getComplete(), send.toString());
    assertEquals(4, send.getFilesUploaded());
    assertEquals("http://127.0.0.1:" + server.actualPort() + "/mock_server_entity/test/runs/is0b35hw", send.getRunUrl());
    assertEquals(4, puts.size(), puts.toString());
    assertTrue(puts.contains("PUT /storage?file=config.yaml " + Files.size(files.resolve("config.yaml"))), puts.toString());

    List<JsonObject> recorded = ours(traffic("core"));
    assertEquals(operations(recorded), operationsSent(), "the operations and their order");
    for (JsonObject sent : graphql) {
      JsonObject like = first(recorded, sent.getString("operationName"));
      assertEquals(like.getString("query"), sent.getString("query"), "the document of " + sent.getString("operationName"));
      assertEquals(
          new TreeSet<>(like.getJsonObject("variables").fieldNames()),
          new TreeSet<>(sent.getJsonObject("variables").fieldNames()),
          "the variables of " + sent.getString("operationName"));
    }
    // the second upsert, as wandb-core's: the server's names and the config, nothing else set
    JsonObject second = graphql.get(1).getJsonObject("variables");
    assertEquals("test", second.getString("project"));
    assertEquals("mock_server_entity", second.getString("entity"));
    assertEquals("is0b35hw", second.getString("name"));
    JsonObject config = new JsonObject(second.getString("config"));
    assertEquals(2000, config.getJsonObject("n").getInteger("value"));
    assertEquals(0.01, config.getJsonObject("lr").getDouble("value"));
    assertTrue(config.getJsonObject("_wandb").getJsonObject("value").containsKey("m"));
    // the first, as both W&B clients': project as asked, the run's host
    JsonObject first = graphql.get(0).getJsonObject("variables");
    assertEquals("mnist-demo", first.getString("project"));
    assertEquals("vm", first.getString("host"));
    assertTrue(notices.isEmpty(), notices.toString());
  }

  @Test
  void ourDocumentsAreWandbsWithTheSameVariables() {
    JsonObject upsert016 = first(traffic("v016"), "UpsertBucket");
    assertEquals(
        new TreeSet<>(upsert016.getJsonObject("variables").fieldNames()),
        new TreeSet<>(List.of(Documents.UPSERT_VARIABLES)));
    assertEquals(squeezed(upsert016.getString("query")), squeezed(Documents.UPSERT_BUCKET));
    JsonObject stopped016 = first(traffic("v016"), "RunStoppedStatus");
    assertEquals(squeezed(stopped016.getString("query")), squeezed(Documents.RUN_STOPPED_STATUS));
    assertEquals(resource("/wandb-graphql/run-resume-status-core.graphql"), Documents.RUN_RESUME_STATUS);
    assertEquals(resource("/wandb-graphql/create-run-files-core.graphql"), Documents.CREATE_RUN_FILES);
    assertEquals(resource("/wandb-graphql/upsert-bucket-core.graphql"), Documents.UPSERT_BUCKET);
  }

  private List<String> operationsSent() {
    List<String> names = new ArrayList<>();
    graphql.forEach(g -> names.add(g.getString("operationName")));
    return names;
  }

  private static List<String> operations(List<JsonObject> traffic) {
    List<String> names = new ArrayList<>();
    traffic.forEach(t -> names.add(t.getString("operation")));
    return names;
  }

  private static List<JsonObject> ours(List<JsonObject> traffic) {
    List<JsonObject> out = new ArrayList<>();
    for (JsonObject t : traffic) {
      if (OURS.contains(t.getString("operation"))) {
        out.add(t);
      }
    }
    return out;
  }

  private static JsonObject first(List<JsonObject> traffic, String operation) {
    for (JsonObject t : traffic) {
      if (operation.equals(t.getString("operation"))) {
        return t;
      }
    }
    throw new AssertionError("no " + operation + " in the recorded traffic");
  }

  /** A document without its whitespace: v0.16 and wandb-core format the same document apart. */
  private static String squeezed(String document) {
    return document.replaceAll("\\s+", "");
  }

  static List<JsonObject> traffic(String name) {
    JsonArray all = new JsonArray(resource("/wandb-traffic/" + name + ".json"));
    List<JsonObject> graphql = new ArrayList<>();
    for (Object o : all) {
      JsonObject t = (JsonObject) o;
      if (t.containsKey("operation")) {
        graphql.add(t);
      }
    }
    return graphql;
  }

  private static String resource(String name) {
    try (InputStream in = WandbTrafficTest.class.getResourceAsStream(name)) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }
}
