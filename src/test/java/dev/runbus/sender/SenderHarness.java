package dev.runbus.sender;

import dev.runbus.bus.Addresses;
import dev.runbus.bus.Bus;
import dev.runbus.proto.ConfigItem;
import dev.runbus.proto.ConfigRecord;
import dev.runbus.proto.FileStreamFinish;
import dev.runbus.proto.FileStreamProgress;
import dev.runbus.proto.FileStreamTarget;
import dev.runbus.proto.FilesUploaded;
import dev.runbus.proto.FinishRequest;
import dev.runbus.proto.FinishResponse;
import dev.runbus.proto.PollExitRequest;
import dev.runbus.proto.PollExitResponse;
import dev.runbus.proto.Record;
import dev.runbus.proto.RecordBatch;
import dev.runbus.proto.Request;
import dev.runbus.proto.Result;
import dev.runbus.proto.ResumeRequest;
import dev.runbus.proto.ResumeState;
import dev.runbus.proto.RunExitRecord;
import dev.runbus.proto.RunRecord;
import dev.runbus.proto.StopStatusRequest;
import dev.runbus.server.RunbusServer;
import dev.runbus.server.ServerConfig;
import dev.runbus.server.ServerLimits;
import dev.runbus.server.ServerSettings;
import dev.runbus.server.store.Accounts;
import dev.runbus.server.store.ServerStore;
import dev.runbus.server.store.ServerStores;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

/**
 * A real {@code runbus server} on loopback (SQLite in a temporary directory, one user "alice"), and
 * one run's Sender talking to it, with a stand-in FileStream on {@link Addresses#fileStream} that
 * records what the Sender tells it and answers FileStreamFinish. Calls block the test's thread
 * (never an event loop).
 */
final class SenderHarness implements AutoCloseable {

  static final String PROJECT = "mnist";

  final Vertx vertx;
  final Path dir;
  final ServerStore store;
  final RunbusServer server;
  final Accounts.IssuedKey alice;
  final WebClient web;
  final List<String> notices = Collections.synchronizedList(new ArrayList<>());
  final List<FileStreamTarget> targets = Collections.synchronizedList(new ArrayList<>());
  final List<String> uploaded = Collections.synchronizedList(new ArrayList<>());
  final List<FileStreamFinish> finishes = Collections.synchronizedList(new ArrayList<>());
  /** How the stand-in FileStream answers FileStreamFinish; null: it never answers. */
  volatile FileStreamProgress finishAnswer = FileStreamProgress.newBuilder().setComplete(true).build();
  private MessageConsumer<com.google.protobuf.Message> fileStream;
  private String deployment;
  private String runId;

  SenderHarness(Path dir) throws Exception {
    this.dir = dir;
    this.vertx = Vertx.vertx();
    Bus.registerCodec(vertx);
    ServerConfig config =
        new ServerConfig("127.0.0.1", 0, dir.resolve("server"), null, null, 1L << 20, 1L << 20);
    store = ServerStores.open(config);
    alice = store.accounts().createKey("alice");
    server =
        RunbusServer.start(vertx, new ServerSettings(config, ServerLimits.defaults(), "admin"), store)
            .await(30, TimeUnit.SECONDS);
    web = WebClient.create(vertx);
  }

  String baseUrl() {
    return server.baseUrl();
  }

  static SenderTunables fast(List<String> notices) {
    return new SenderTunables(
        new RetryPolicy(Duration.ofMillis(50), Duration.ofMillis(200), () -> 0.5),
        Duration.ofMillis(200),
        Duration.ofMillis(100),
        Duration.ofSeconds(10),
        Duration.ofSeconds(2),
        notices::add);
  }

  OnlineSetup setup(String runId, String baseUrl, String key, String resume, Duration finishTimeout, boolean replay)
      throws Exception {
    Path runDir = dir.resolve("run-" + runId);
    Files.createDirectories(runDir.resolve("files"));
    return new OnlineSetup(
        runId,
        new ServerCredentials(URI.create(baseUrl), key, "test"),
        runDir,
        runDir.resolve("run-" + runId + ".wandb"),
        "",
        PROJECT,
        resume,
        finishTimeout,
        replay);
  }

  OnlineSetup setup(String runId) throws Exception {
    return setup(runId, baseUrl(), alice.key(), "", Duration.ofSeconds(30), false);
  }

  /** Deploys the run's Sender and the stand-in FileStream. */
  void deploy(OnlineSetup setup, SenderTunables tunables) {
    runId = setup.runId();
    fileStream =
        vertx
            .eventBus()
            .consumer(
                Addresses.fileStream(runId),
                message -> {
                  com.google.protobuf.Message body = message.body();
                  if (body instanceof FileStreamTarget target) {
                    targets.add(target);
                  } else if (body instanceof FilesUploaded files) {
                    uploaded.addAll(files.getPathList());
                  } else if (body instanceof FileStreamFinish finish) {
                    finishes.add(finish);
                    if (finishAnswer != null) {
                      message.reply(finishAnswer, Bus.protobuf());
                    }
                  }
                });
    await(fileStream.completion());
    deployment = await(vertx.deployVerticle(new SenderVerticle(setup, tunables)));
  }

  void send(Record... records) {
    RecordBatch.Builder batch = RecordBatch.newBuilder();
    for (Record r : records) {
      batch.addRecord(r);
    }
    vertx.eventBus().send(Addresses.sender(runId), batch.build(), Bus.protobuf());
  }

  FinishResponse finish() {
    Result result = request(Record.newBuilder().setRequest(Request.newBuilder().setFinish(FinishRequest.getDefaultInstance())).build());
    return result.getResponse().getFinishResponse();
  }

  PollExitResponse pollExit() {
    return request(Record.newBuilder().setRequest(Request.newBuilder().setPollExit(PollExitRequest.getDefaultInstance())).build())
        .getResponse()
        .getPollExitResponse();
  }

  boolean shouldStop() {
    return request(Record.newBuilder().setRequest(Request.newBuilder().setStopStatus(StopStatusRequest.getDefaultInstance())).build())
        .getResponse()
        .getStopStatusResponse()
        .getRunShouldStop();
  }

  ResumeState resume() {
    return (ResumeState)
        await(vertx.eventBus().<com.google.protobuf.Message>request(Addresses.sender(runId), ResumeRequest.getDefaultInstance(), Bus.protobuf()))
            .body();
  }

  private Result request(Record record) {
    return (Result)
        await(vertx.eventBus().<com.google.protobuf.Message>request(Addresses.sender(runId), record, Bus.protobuf()))
            .body();
  }

  static Record run(String runId, String... configPairs) {
    ConfigRecord.Builder config = ConfigRecord.newBuilder();
    for (int i = 0; i < configPairs.length; i += 2) {
      config.addUpdate(ConfigItem.newBuilder().setKey(configPairs[i]).setValueJson(configPairs[i + 1]));
    }
    return Record.newBuilder()
        .setRun(
            RunRecord.newBuilder()
                .setRunId(runId)
                .setProject(PROJECT)
                .setConfig(config)
                .setStartTime(com.google.protobuf.Timestamp.newBuilder().setSeconds(1_795_731_334L)))
        .build();
  }

  static Record config(String key, String json) {
    return Record.newBuilder()
        .setConfig(ConfigRecord.newBuilder().addUpdate(ConfigItem.newBuilder().setKey(key).setValueJson(json)))
        .build();
  }

  static Record exit(int code) {
    return Record.newBuilder().setExit(RunExitRecord.newBuilder().setExitCode(code).setRuntime(3)).build();
  }

  /** The run through the read API, or null while there is none. */
  JsonObject readRun(String run) {
    HttpResponse<Buffer> r = get("/api/v1/entities/alice/projects/" + PROJECT + "/runs/" + run);
    return r.statusCode() == 200 ? r.bodyAsJsonObject() : null;
  }

  List<String> readFiles(String run) {
    HttpResponse<Buffer> r = get("/api/v1/entities/alice/projects/" + PROJECT + "/runs/" + run + "/files");
    List<String> names = new ArrayList<>();
    if (r.statusCode() == 200) {
      r.bodyAsJsonObject().getJsonArray("files").forEach(f -> names.add(((JsonObject) f).getString("name")));
    }
    return names;
  }

  void stopThroughReadApi(String run) {
    HttpResponse<Buffer> r =
        await(
            web.postAbs(baseUrl() + "/api/v1/entities/alice/projects/" + PROJECT + "/runs/" + run + "/stop")
                .putHeader("Authorization", basic(alice.key()))
                .send());
    if (r.statusCode() != 200) {
      throw new AssertionError("stop answered " + r.statusCode() + ": " + r.bodyAsString());
    }
  }

  /** A W&B-shaped FileStream post of history lines {@code from .. from + n - 1}. */
  void postHistory(String run, long from, int n) {
    io.vertx.core.json.JsonArray lines = new io.vertx.core.json.JsonArray();
    for (long step = from; step < from + n; step++) {
      lines.add("{\"loss\": 0.5, \"_runtime\": " + (step + 1.5) + ", \"_timestamp\": 1795731334.0, \"_step\": " + step + "}");
    }
    JsonObject body =
        new JsonObject()
            .put("files", new JsonObject().put("wandb-history.jsonl", new JsonObject().put("offset", from).put("content", lines)));
    HttpResponse<Buffer> r =
        await(
            web.postAbs(baseUrl() + "/files/alice/" + PROJECT + "/" + run + "/file_stream")
                .putHeader("Authorization", basic(alice.key()))
                .sendJsonObject(body));
    if (r.statusCode() != 200) {
      throw new AssertionError("post answered " + r.statusCode() + ": " + r.bodyAsString());
    }
  }

  private HttpResponse<Buffer> get(String path) {
    return await(web.getAbs(baseUrl() + path).putHeader("Authorization", basic(alice.key())).send());
  }

  static String basic(String key) {
    return "Basic " + Base64.getEncoder().encodeToString(("api:" + key).getBytes(StandardCharsets.UTF_8));
  }

  /** Waits (at most 20 s) for {@code condition}; false if it never held. */
  static boolean eventually(BooleanSupplier condition) {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
    while (System.nanoTime() < deadline) {
      if (condition.getAsBoolean()) {
        return true;
      }
      try {
        Thread.sleep(20);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return false;
      }
    }
    return condition.getAsBoolean();
  }

  static <T> T await(Future<T> future) {
    try {
      return future.await(30, TimeUnit.SECONDS);
    } catch (java.util.concurrent.TimeoutException e) {
      throw new AssertionError("no answer in 30 s", e);
    } catch (Exception e) {
      throw new AssertionError(e);
    }
  }

  @Override
  public void close() {
    if (deployment != null) {
      try {
        vertx.undeploy(deployment).await(10, TimeUnit.SECONDS);
      } catch (Exception ignored) {
        // closing anyway
      }
    }
    web.close();
    try {
      server.stop().await(30, TimeUnit.SECONDS);
    } catch (Exception ignored) {
      // closing anyway
    }
    store.close();
    try {
      vertx.close().await(30, TimeUnit.SECONDS);
    } catch (Exception ignored) {
      // closed or not, the test is over
    }
  }

  /** The bus side alone: records to a run's Sender and its answers, for tests with their own server. */
  static final class Client {
    private final Vertx vertx;
    private final String runId;

    Client(Vertx vertx, String runId) {
      this.vertx = vertx;
      this.runId = runId;
    }

    void send(Record... records) {
      RecordBatch.Builder batch = RecordBatch.newBuilder();
      for (Record r : records) {
        batch.addRecord(r);
      }
      vertx.eventBus().send(Addresses.sender(runId), batch.build(), Bus.protobuf());
    }

    FinishResponse finish() {
      Record finish =
          Record.newBuilder()
              .setRequest(Request.newBuilder().setFinish(FinishRequest.getDefaultInstance()))
              .build();
      Result result =
          (Result)
              await(
                      vertx
                          .eventBus()
                          .<com.google.protobuf.Message>request(
                              Addresses.sender(runId), finish, Bus.protobuf()))
                  .body();
      return result.getResponse().getFinishResponse();
    }
  }
}
