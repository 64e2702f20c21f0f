package dev.runbus.filestream;

import com.google.protobuf.Timestamp;
import dev.runbus.bus.Addresses;
import dev.runbus.bus.Bus;
import dev.runbus.log.LogWriter;
import dev.runbus.proto.FileStreamFinish;
import dev.runbus.proto.FileStreamProgress;
import dev.runbus.proto.FileStreamTarget;
import dev.runbus.proto.HistoryItem;
import dev.runbus.proto.HistoryRecord;
import dev.runbus.proto.HistoryStep;
import dev.runbus.proto.LogFlushed;
import dev.runbus.proto.OutputRawRecord;
import dev.runbus.proto.Record;
import dev.runbus.proto.RunExitRecord;
import dev.runbus.proto.RunRecord;
import dev.runbus.proto.StatsItem;
import dev.runbus.proto.StatsRecord;
import dev.runbus.proto.SummaryItem;
import dev.runbus.proto.SummaryRecord;
import dev.runbus.sender.OnlineSetup;
import dev.runbus.sender.ServerCredentials;
import dev.runbus.server.RunbusServer;
import dev.runbus.server.ServerConfig;
import dev.runbus.server.ServerLimits;
import dev.runbus.server.ServerSettings;
import dev.runbus.server.store.Accounts;
import dev.runbus.server.store.RunUpsert;
import dev.runbus.server.store.ServerStore;
import dev.runbus.server.store.ServerStores;
import dev.runbus.writer.RecordWriter;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import io.vertx.ext.web.client.WebClientOptions;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

/**
 * A real runbus server on loopback (SQLite in a temporary directory) with alice's key and run, a
 * run directory whose log the tests write with the real Writer, and the FileStream driven by the
 * bus messages the Sender and Writer send. Everything is read back through the server's read API.
 */
final class StreamHarness implements AutoCloseable {

  static final String ENTITY = "alice";
  static final String PROJECT = "proj";
  static final String RUN = "run00001";
  static final long START_SECONDS = 1_795_731_334L;

  final Vertx vertx;
  final Path runDir;
  final Path logFile;
  final ServerStore store;
  final RunbusServer server;
  final Accounts.IssuedKey alice;
  final WebClient client;
  final List<FileStreamProgress> progress = new CopyOnWriteArrayList<>();
  private final MessageConsumer<Object> senderInbox;
  private LogWriter log;
  private RecordWriter writer;
  private String deployment;

  StreamHarness(Vertx vertx, Path tmp) throws Exception {
    this.vertx = vertx;
    Bus.registerCodec(vertx);
    Path data = Files.createDirectories(tmp.resolve("server"));
    ServerConfig config = new ServerConfig("127.0.0.1", 0, data, null, null, 32L << 20, 1L << 20);
    store = ServerStores.open(config);
    alice = store.accounts().createKey(ENTITY);
    store
        .runs()
        .upsert(
            alice.user(),
            new RunUpsert(
                ENTITY, PROJECT, RUN, null, null, null, null, null, null, null, null, null, null,
                null, null, null, null));
    server =
        RunbusServer.start(
                vertx, new ServerSettings(config, ServerLimits.defaults(), "admin"), store)
            .await(30, TimeUnit.SECONDS);
    client =
        WebClient.create(
            vertx, new WebClientOptions().setDefaultHost("127.0.0.1").setDefaultPort(server.port()));
    runDir = Files.createDirectories(tmp.resolve("run"));
    Files.createDirectories(runDir.resolve("files"));
    logFile = runDir.resolve("run-" + RUN + ".wandb");
    senderInbox =
        vertx
            .eventBus()
            .consumer(
                Addresses.sender(RUN),
                m -> {
                  if (m.body() instanceof FileStreamProgress p) {
                    progress.add(p);
                  }
                });
    senderInbox.completion().await(10, TimeUnit.SECONDS);
  }

  // ---- the log

  void openLog() throws Exception {
    log = LogWriter.create(logFile);
    writer = new RecordWriter(log);
    writer.writeHeader("test");
    write(
        Record.newBuilder()
            .setRun(
                RunRecord.newBuilder()
                    .setRunId(RUN)
                    .setStartTime(Timestamp.newBuilder().setSeconds(START_SECONDS)))
            .build());
  }

  /** Appends one more row after a closed log's end (then cut by the test). */
  void openLogAppend() throws Exception {
    try (java.nio.channels.FileChannel ch =
        java.nio.channels.FileChannel.open(logFile, java.nio.file.StandardOpenOption.WRITE)) {
      long end = ch.size();
      Path other = logFile.resolveSibling("extra.wandb");
      try (LogWriter extra = LogWriter.create(other)) {
        RecordWriter w = new RecordWriter(extra);
        for (long pad = 0; pad < 1; pad++) {
          w.write(
              Record.newBuilder()
                  .setHistory(
                      HistoryRecord.newBuilder()
                          .addItem(HistoryItem.newBuilder().setKey("m0").setValueJson("1".repeat(200))))
                  .build());
        }
      }
      byte[] bytes = Files.readAllBytes(other);
      // the chunk after the 7-byte header of the other log, appended as-is (same block offset
      // rules do not hold, so only its first bytes are kept by the test's truncate)
      ch.write(java.nio.ByteBuffer.wrap(bytes, 7, bytes.length - 7), end);
    }
  }

  void write(Record record) throws Exception {
    writer.write(record);
  }

  /** Row {@code step}: {@code m0..m(keys-1)} = step + j / 10, and {@code _step}. */
  void rows(long from, long count, int keys) throws Exception {
    for (long step = from; step < from + count; step++) {
      HistoryRecord.Builder h = HistoryRecord.newBuilder();
      for (int j = 0; j < keys; j++) {
        h.addItem(HistoryItem.newBuilder().setKey("m" + j).setValueJson(value(step, j)));
      }
      h.addItem(HistoryItem.newBuilder().setKey("_step").setValueJson(Long.toString(step)));
      h.setStep(HistoryStep.newBuilder().setNum(step));
      write(Record.newBuilder().setHistory(h).build());
    }
  }

  static String value(long step, int j) {
    return step + "." + j;
  }

  void stats(long secondsAfterStart, double cpu) throws Exception {
    write(
        Record.newBuilder()
            .setStats(
                StatsRecord.newBuilder()
                    .setTimestamp(
                        Timestamp.newBuilder().setSeconds(START_SECONDS + secondsAfterStart))
                    .addItem(StatsItem.newBuilder().setKey("cpu").setValueJson(Double.toString(cpu))))
            .build());
  }

  void output(boolean stderr, String text) throws Exception {
    write(
        Record.newBuilder()
            .setOutputRaw(
                OutputRawRecord.newBuilder()
                    .setOutputType(
                        stderr ? OutputRawRecord.OutputType.STDERR : OutputRawRecord.OutputType.STDOUT)
                    .setTimestamp(Timestamp.newBuilder().setSeconds(START_SECONDS + 1))
                    .setLine(text))
            .build());
  }

  void summary(String key, String json) throws Exception {
    write(
        Record.newBuilder()
            .setSummary(
                SummaryRecord.newBuilder()
                    .addUpdate(SummaryItem.newBuilder().setKey(key).setValueJson(json)))
            .build());
  }

  /** The end of a run as the Handler writes it: exit, then the full summary. */
  void exit(int code, SummaryRecord fullSummary) throws Exception {
    write(Record.newBuilder().setExit(RunExitRecord.newBuilder().setExitCode(code)).build());
    write(Record.newBuilder().setSummary(fullSummary).build());
  }

  void flush() throws Exception {
    log.flush();
  }

  void closeLog() throws Exception {
    log.close();
  }

  long logSize() throws Exception {
    return Files.size(logFile);
  }

  // ---- the FileStream

  OnlineSetup setup(URI base, String key, boolean replay) {
    return new OnlineSetup(
        RUN,
        new ServerCredentials(base, key, "test"),
        runDir,
        logFile,
        ENTITY,
        PROJECT,
        "",
        Duration.ofSeconds(30),
        replay);
  }

  URI base() {
    return URI.create("http://127.0.0.1:" + server.port());
  }

  static FileStreamSettings fast() {
    return FileStreamSettings.defaults()
        .withTransmitInterval(Duration.ofMillis(50))
        .withPostTimeout(Duration.ofSeconds(2))
        .withRetry(new dev.runbus.sender.RetryPolicy(
            Duration.ofMillis(50), Duration.ofMillis(200), () -> 0.5));
  }

  void deploy(OnlineSetup setup, FileStreamSettings settings) throws Exception {
    deployment =
        vertx.deployVerticle(new FileStreamVerticle(setup, settings)).await(10, TimeUnit.SECONDS);
  }

  void undeploy() throws Exception {
    if (deployment != null) {
      vertx.undeploy(deployment).await(10, TimeUnit.SECONDS);
      deployment = null;
    }
  }

  void target() {
    target(0, 0, 0);
  }

  void target(long history, long events, long console) {
    vertx
        .eventBus()
        .send(
            Addresses.fileStream(RUN),
            FileStreamTarget.newBuilder()
                .setEntity(ENTITY)
                .setProject(PROJECT)
                .setRunName(RUN)
                .setHistoryLineOffset(history)
                .setEventsLineOffset(events)
                .setConsoleLineOffset(console)
                .build(),
            Bus.protobuf());
  }

  void flushed(boolean closed) throws Exception {
    vertx
        .eventBus()
        .send(
            Addresses.fileStream(RUN),
            LogFlushed.newBuilder().setBytesFlushed(logSize()).setClosed(closed).build(),
            Bus.protobuf());
  }

  void uploaded(String... paths) {
    vertx
        .eventBus()
        .send(
            Addresses.fileStream(RUN),
            dev.runbus.proto.FilesUploaded.newBuilder().addAllPath(List.of(paths)).build(),
            Bus.protobuf());
  }

  FileStreamProgress finish(boolean complete, int exitCode, long seconds) throws Exception {
    Future<io.vertx.core.eventbus.Message<Object>> answer =
        vertx
            .eventBus()
            .request(
                Addresses.fileStream(RUN),
                FileStreamFinish.newBuilder().setComplete(complete).setExitCode(exitCode).build(),
                Bus.protobuf().setSendTimeout(TimeUnit.SECONDS.toMillis(seconds)));
    return (FileStreamProgress) answer.await(seconds + 5, TimeUnit.SECONDS).body();
  }

  // ---- the server's read API

  private JsonObject getJson(String path) throws Exception {
    HttpResponse<Buffer> r =
        client
            .get("/api/v1/entities/" + ENTITY + "/projects/" + PROJECT + "/runs/" + RUN + path)
            .putHeader("Authorization", new ServerCredentials(base(), alice.key(), "t").authorization())
            .send()
            .await(30, TimeUnit.SECONDS);
    if (r.statusCode() != 200) {
      throw new AssertionError(path + ": " + r.statusCode() + " " + r.bodyAsString());
    }
    return r.bodyAsJsonObject();
  }

  List<JsonObject> history() throws Exception {
    HttpResponse<Buffer> r =
        client
            .get("/api/v1/entities/" + ENTITY + "/projects/" + PROJECT + "/runs/" + RUN + "/history")
            .putHeader("Authorization", new ServerCredentials(base(), alice.key(), "t").authorization())
            .send()
            .await(60, TimeUnit.SECONDS);
    List<JsonObject> rows = new ArrayList<>();
    String body = r.bodyAsString();
    for (String line : body == null ? new String[0] : body.split("\n")) {
      if (!line.isBlank()) {
        rows.add(new JsonObject(line));
      }
    }
    return rows;
  }

  JsonObject run() throws Exception {
    return getJson("");
  }

  JsonArray console() throws Exception {
    return getJson("/console").getJsonArray("lines");
  }

  JsonArray events() throws Exception {
    return getJson("/events").getJsonArray("lines");
  }

  @Override
  public void close() throws Exception {
    undeploy();
    if (log != null) {
      log.close();
    }
    client.close();
    server.stop().await(30, TimeUnit.SECONDS);
    store.close();
  }
}
