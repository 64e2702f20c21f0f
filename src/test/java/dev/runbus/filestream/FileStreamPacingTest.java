package dev.runbus.filestream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.runbus.proto.FileStreamProgress;
import dev.runbus.proto.HistoryItem;
import dev.runbus.proto.HistoryRecord;
import dev.runbus.proto.HistoryStep;
import dev.runbus.proto.Record;
import dev.runbus.proto.RunPreemptingRecord;
import dev.runbus.proto.SummaryRecord;
import dev.runbus.testing.FaultProxy;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.BooleanSupplier;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * The FileStream's pacing and the answers it acts on, against a real runbus server (through a
 * recording {@link FaultProxy} where the bodies matter): heartbeats, the server's heartbeat limit,
 * preempting, stop requests, uploaded files, a line too long, and full posts under a long interval.
 */
@ExtendWith(VertxExtension.class)
class FileStreamPacingTest {

  private static final Duration HOUR = Duration.ofHours(1);
  private static final String POSTS = "/file_stream";

  @TempDir Path tmp;
  StreamHarness h;
  FaultProxy proxy;

  @BeforeEach
  void start(Vertx vertx) throws Exception {
    h = new StreamHarness(vertx, tmp);
    proxy = FaultProxy.start(vertx, h.server.port(), 0);
  }

  @AfterEach
  void stop() throws Exception {
    h.close();
    proxy.close();
  }

  private URI viaProxy() {
    return URI.create("http://127.0.0.1:" + proxy.port());
  }

  /** Waits (bounded) for a condition; fails with {@code what} when it never holds. */
  private static void await(String what, BooleanSupplier condition) throws InterruptedException {
    long end = System.nanoTime() + Duration.ofSeconds(4).toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > end) {
        throw new AssertionError("timed out waiting for " + what);
      }
      Thread.sleep(20);
    }
  }

  private static FileStreamSettings paced(Duration transmit, Duration heartbeat) {
    return StreamHarness.fast().withTransmitInterval(transmit).withHeartbeat(heartbeat);
  }

  private void startStream(FileStreamSettings settings) throws Exception {
    h.openLog();
    h.flush();
    h.deploy(h.setup(viaProxy(), h.alice.key(), false), settings);
    h.target();
    h.flushed(false);
  }

  @Test
  void withNothingToSendAHeartbeatGoesAfterTheInterval() throws Exception {
    startStream(paced(HOUR, Duration.ofMillis(100)));

    // (its answer then sets the server's 30 s: the next test plays a server asking for 1 s)
    await("a heartbeat", () -> !proxy.bodies(POSTS).isEmpty());
    assertEquals("{}", proxy.bodies(POSTS).get(0), "a heartbeat carries nothing");
  }

  @Test
  void theServersHeartbeatLimitSetsTheInterval() throws Exception {
    // the server says 1 s; only that can send an empty post before the hour is up
    proxy.editAnswers(
        answer -> {
          JsonObject json = new JsonObject(answer);
          json.put("limits", new JsonObject().put("heartbeat_seconds", 1));
          return json.toBuffer();
        });
    startStream(paced(Duration.ofMillis(50), HOUR));
    h.rows(0, 3, 2);
    h.flush();
    h.flushed(false);

    await("the data post and a heartbeat", () -> proxy.bodies(POSTS).size() >= 2);
    assertTrue(proxy.bodies(POSTS).get(0).contains("wandb-history.jsonl"));
    assertEquals("{}", proxy.bodies(POSTS).get(1), "the heartbeat carries nothing");
  }

  @Test
  void aPreemptingRecordIsPostedAtOnce() throws Exception {
    startStream(paced(HOUR, HOUR));
    h.rows(0, 3, 2);
    h.write(Record.newBuilder().setPreempting(RunPreemptingRecord.getDefaultInstance()).build());
    h.flush();
    h.flushed(false);

    await("the preempting post", () -> !proxy.bodies(POSTS).isEmpty());
    JsonObject post = new JsonObject(proxy.bodies(POSTS).get(0));
    assertEquals(true, post.getBoolean("preempting"), post.encode());
    assertEquals(
        3, post.getJsonObject("files").getJsonObject("wandb-history.jsonl").getJsonArray("content").size());
    assertEquals("preempted", h.run().getString("state"));
  }

  @Test
  void aStopRequestInAnAnswerReachesTheSender() throws Exception {
    startStream(paced(Duration.ofMillis(50), HOUR));
    h.rows(0, 1, 1);
    h.flush();
    h.flushed(false);
    await("a first acknowledged post", () -> !h.progress.isEmpty());
    assertFalse(h.progress.get(0).getStopRequested());

    stopThroughReadApi();
    h.rows(1, 1, 1);
    h.flush();
    h.flushed(false);

    await(
        "stop_requested in the progress",
        () -> h.progress.stream().anyMatch(FileStreamProgress::getStopRequested));
  }

  private void stopThroughReadApi() throws Exception {
    var r =
        h.client
            .post(
                "/api/v1/entities/"
                    + StreamHarness.ENTITY
                    + "/projects/"
                    + StreamHarness.PROJECT
                    + "/runs/"
                    + StreamHarness.RUN
                    + "/stop")
            .putHeader(
                "Authorization",
                new dev.runbus.sender.ServerCredentials(h.base(), h.alice.key(), "t").authorization())
            .send()
            .await(10, java.util.concurrent.TimeUnit.SECONDS);
    assertEquals(200, r.statusCode(), r.bodyAsString());
  }

  @Test
  void uploadedFilesAreInTheNextPostAndInTheSyncMarkWithTheirSizes() throws Exception {
    Files.writeString(h.runDir.resolve("files").resolve("config.yaml"), "lr: 0.1\n");
    Files.createDirectories(h.runDir.resolve("files").resolve("media"));
    Files.write(h.runDir.resolve("files").resolve("media").resolve("a.png"), new byte[1234]);
    startStream(paced(Duration.ofMillis(50), HOUR));

    h.uploaded("config.yaml", "media/a.png");

    await("a post with uploaded", () -> proxy.bodies(POSTS).stream().anyMatch(b -> b.contains("uploaded")));
    JsonObject post =
        new JsonObject(proxy.bodies(POSTS).stream().filter(b -> b.contains("uploaded")).findFirst().orElseThrow());
    assertEquals(new JsonArray().add("config.yaml").add("media/a.png"), post.getJsonArray("uploaded"));
    Path markFile = h.setup(viaProxy(), h.alice.key(), false).markFile();
    await(
        "the uploaded files in the sync mark",
        () -> SyncMark.read(markFile).map(m -> m.uploaded().size() == 2).orElse(false));
    Map<String, Long> sizes =
        SyncMark.read(markFile).orElseThrow().uploaded().stream()
            .collect(Collectors.toMap(SyncMark.UploadedFile::name, SyncMark.UploadedFile::size));
    assertEquals(Map.of("config.yaml", 8L, "media/a.png", 1234L), sizes);
  }

  @Test
  void aHistoryLineOverTheLimitIsDroppedAndTheRowsAroundItArrive() throws Exception {
    List<String> warnings = new CopyOnWriteArrayList<>();
    Logger logger = Logger.getLogger(RecordConverter.class.getName());
    Handler capture =
        new Handler() {
          @Override
          public void publish(LogRecord record) {
            warnings.add(record.getMessage());
          }

          @Override
          public void flush() {}

          @Override
          public void close() {}
        };
    logger.addHandler(capture);
    try {
      h.openLog();
      h.rows(0, 3, 2);
      tooLongRow();
      h.rows(3, 3, 2);
      h.exit(0, SummaryRecord.getDefaultInstance());
      h.closeLog();

      h.deploy(h.setup(h.base(), h.alice.key(), true), StreamHarness.fast());
      h.target();
      FileStreamProgress done = h.finish(true, 0, 30);

      assertTrue(done.getComplete(), done.toString());
      FileStreamTest.assertRows(h.history(), 6, 2);
      assertEquals(6, done.getHistoryLinesAcknowledged());
      assertEquals(
          1,
          warnings.stream().filter(w -> w.startsWith("dropped the history row")).count(),
          warnings.toString());
    } finally {
      logger.removeHandler(capture);
    }
  }

  /** A row whose line is just over W&B's limit (the value's quotes and the row's braces). */
  private void tooLongRow() throws Exception {
    String big = "\"" + "x".repeat(RequestBuilder.MAX_LINE_BYTES) + "\"";
    h.write(
        Record.newBuilder()
            .setHistory(
                HistoryRecord.newBuilder()
                    .addItem(HistoryItem.newBuilder().setKey("big").setValueJson(big))
                    .addItem(HistoryItem.newBuilder().setKey("_step").setValueJson("100"))
                    .setStep(HistoryStep.newBuilder().setNum(100)))
            .build());
  }

  @Test
  void aStreamResumedFromTheMarkDoesNotCountADroppedRowAsALine() throws Exception {
    h.openLog();
    h.rows(0, 3, 2);
    tooLongRow();
    h.rows(3, 3, 2);
    h.flush();
    h.deploy(h.setup(h.base(), h.alice.key(), false), StreamHarness.fast());
    h.target();
    h.flushed(false);
    await(
        "the first stream's six rows acknowledged",
        () -> h.progress.stream().anyMatch(p -> p.getHistoryLinesAcknowledged() == 6));
    h.undeploy();

    h.rows(6, 3, 2);
    h.exit(0, SummaryRecord.getDefaultInstance());
    h.closeLog();
    h.deploy(h.setup(h.base(), h.alice.key(), true), StreamHarness.fast());
    h.target();
    FileStreamProgress done = h.finish(true, 0, 30);

    assertTrue(done.getComplete(), done.toString());
    FileStreamTest.assertRows(h.history(), 9, 2);
  }

  @Test
  void underALongIntervalOnlyAFullPostGoesAndItGoesAtOnce() throws Exception {
    int max = 4096;
    startStream(paced(HOUR, HOUR).withMaxRequestBytes(max));
    h.rows(0, 3, 4);
    h.flush();
    h.flushed(false);
    // time for a pump that paced wrongly to post the three rows; one that paces right waits
    Thread.sleep(300);
    assertEquals(List.of(), proxy.bodies(POSTS), "nothing posted before a post is full");

    h.rows(3, 97, 4);
    h.flush();
    h.flushed(false);

    await("a full post", () -> !proxy.bodies(POSTS).isEmpty());
    String first = proxy.bodies(POSTS).get(0);
    JsonObject history = new JsonObject(first).getJsonObject("files").getJsonObject("wandb-history.jsonl");
    assertEquals(0, history.getInteger("offset"));
    assertTrue(history.getJsonArray("content").size() > 3, first);
    assertTrue(first.length() <= max, "a post within the limit: " + first.length());
    long posted =
        proxy.bodies(POSTS).stream()
            .mapToLong(
                b -> {
                  JsonObject files = new JsonObject(b).getJsonObject("files");
                  return files == null ? 0 : files.getJsonObject("wandb-history.jsonl").getJsonArray("content").size();
                })
            .sum();
    assertTrue(posted < 100, "the rows that do not fill a post wait: " + posted);

    // the closed log's tail goes at once, the interval notwithstanding
    h.closeLog();
    h.flushed(true);
    FileStreamProgress done = h.finish(true, 0, 30);
    assertTrue(done.getComplete(), done.toString());
    FileStreamTest.assertRows(h.history(), 100, 4);
  }
}
