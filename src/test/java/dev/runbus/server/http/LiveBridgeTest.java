package dev.runbus.server.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.UpgradeRejectedException;
import io.vertx.core.http.WebSocket;
import io.vertx.core.http.WebSocketClient;
import io.vertx.core.http.WebSocketConnectOptions;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The UI's live notices end to end: a real server on loopback, W&B-shaped GraphQL and FileStream
 * posts, and a WebSocket client on the SockJS bridge's raw WebSocket transport
 * ({@code /ui/bus/websocket}) speaking the bridge's JSON frames, authenticated as a browser's
 * script would be (HTTP Basic here; the UI's session cookie is ui-shell's).
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class LiveBridgeTest {
  private static final String OWN_RUN = "rb.ui.run.alice/" + ServerFixture.PROJECT + "/" + ServerFixture.RUN;
  private static final String OWN_PROJECT = "rb.ui.project.alice/" + ServerFixture.PROJECT;
  /** A frame that proves the wait is over (notices are small; this bounds a wait, never a test). */
  private static final long FRAME_WAIT_SECONDS = 20;

  @TempDir Path data;
  private Vertx vertx;
  private ServerFixture fixture;
  private WebSocketClient sockets;

  @BeforeEach
  void start() throws Exception {
    vertx = Vertx.vertx();
    fixture = ServerFixture.start(vertx, data);
    sockets = vertx.createWebSocketClient();
  }

  @AfterEach
  void stop() throws Exception {
    if (fixture != null) {
      fixture.close();
    }
    if (vertx != null) {
      vertx.close().await(30, TimeUnit.SECONDS);
    }
  }

  /** A bridge connection and the frames it received, in order. */
  private final class Bus {
    final WebSocket socket;
    final BlockingQueue<JsonObject> frames = new LinkedBlockingQueue<>();
    final List<JsonObject> seen = new ArrayList<>();
    final List<JsonObject> unclaimed = new ArrayList<>();

    Bus(String key) throws Exception {
      WebSocketConnectOptions options =
          new WebSocketConnectOptions()
              .setHost("127.0.0.1")
              .setPort(fixture.server.port())
              .setURI("/ui/bus/websocket");
      if (key != null) {
        options.addHeader("Authorization", ServerFixture.basic(key));
      }
      socket = sockets.connect(options).await(30, TimeUnit.SECONDS);
      // the raw transport may write text or binary frames; both carry one JSON frame
      socket.handler(bytes -> frames.add(new JsonObject(bytes)));
    }

    void write(JsonObject frame) throws Exception {
      socket.writeTextMessage(frame.encode()).await(30, TimeUnit.SECONDS);
    }

    void register(String address) throws Exception {
      write(new JsonObject().put("type", "register").put("address", address));
    }

    /** A frame received within the wait, or null; every frame is kept in {@link #seen}. */
    JsonObject poll(long millis) throws InterruptedException {
      JsonObject frame = frames.poll(millis, TimeUnit.MILLISECONDS);
      if (frame != null) {
        seen.add(frame);
        unclaimed.add(frame);
      }
      return frame;
    }

    /** The first frame received so far matching {@code wanted} and not claimed yet, or null. */
    JsonObject claim(Predicate<JsonObject> wanted) {
      for (JsonObject f : unclaimed) {
        if (wanted.test(f)) {
          unclaimed.remove(f);
          return f;
        }
      }
      return null;
    }

    /** The first frame matching {@code wanted} not claimed yet, waiting for it if need be. */
    JsonObject next(Predicate<JsonObject> wanted, String what) throws Exception {
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(FRAME_WAIT_SECONDS);
      do {
        JsonObject f = claim(wanted);
        if (f != null) {
          return f;
        }
        poll(100);
      } while (System.nanoTime() < deadline);
      throw new AssertionError("no " + what + "; frames: " + seen);
    }
  }

  private static Predicate<JsonObject> rec(String address) {
    return f -> "rec".equals(f.getString("type")) && address.equals(f.getString("address"));
  }

  private static Predicate<JsonObject> err() {
    return f -> "err".equals(f.getString("type"));
  }

  private HttpResponse<Buffer> post(JsonObject body) {
    HttpResponse<Buffer> r = fixture.send(fixture.fileStream(fixture.alice.key()), body);
    assertEquals(200, r.statusCode(), r.bodyAsString());
    return r;
  }

  private static String document(String name) throws Exception {
    try (InputStream in = LiveBridgeTest.class.getResourceAsStream("/wandb-graphql/" + name)) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
  }

  @Test
  void aRunsOwnerHearsItsPostsAndItsEndAndTheProjectHearsOfNewRuns() throws Exception {
    Bus bus = new Bus(fixture.alice.key());
    bus.register(OWN_RUN);
    bus.register(OWN_PROJECT);
    // registration has no acknowledgement: post until the first notice shows it took effect
    long lines = 0;
    JsonObject first = null;
    for (int i = 0; i < 20 && first == null; i++) {
      post(ServerFixture.historyPost(lines, 10));
      lines += 10;
      bus.poll(1000);
      first = bus.claim(rec(OWN_RUN));
    }
    if (first == null) {
      first = bus.next(rec(OWN_RUN), "notice of the run's posts");
    }
    JsonObject body = first.getJsonObject("body");
    assertEquals("running", body.getString("state"));
    assertTrue(body.getLong("historyLineCount") >= 10, body::encode);
    assertEquals(0, body.getLong("logLineCount"));
    assertNotNull(body.getString("updatedAt"));

    // console lines, then the end: the last notice says finished with every count
    post(
        new JsonObject()
            .put("files",
                new JsonObject()
                    .put("output.log", new JsonObject().put("offset", 0).put("content", new JsonArray().add("hello").add("ERROR 2026 oops")))
                    .put("wandb-history.jsonl", new JsonObject().put("offset", lines).put("content", ServerFixture.historyLines(lines, 5)))));
    lines += 5;
    post(new JsonObject().put("complete", true).put("exitcode", 0));
    long total = lines;
    JsonObject last =
        bus.next(
            f -> rec(OWN_RUN).test(f) && "finished".equals(f.getJsonObject("body").getString("state")),
            "the finished state");
    assertEquals(total, last.getJsonObject("body").getLong("historyLineCount"));
    assertEquals(2, last.getJsonObject("body").getLong("logLineCount"));
    JsonObject ended = bus.next(rec(OWN_PROJECT), "the project's notice of the finished run");
    assertEquals(
        new JsonObject().put("run", ServerFixture.RUN).put("state", "finished"), ended.getJsonObject("body"));

    // a new run of the project, created through W&B's GraphQL
    JsonObject variables =
        new JsonObject().put("entity", "alice").put("project", ServerFixture.PROJECT).put("name", "newrun01");
    HttpResponse<Buffer> created =
        ServerFixture.await(
            fixture.client
                .post("/graphql")
                .putHeader("Authorization", ServerFixture.basic(fixture.alice.key()))
                .sendJsonObject(
                    new JsonObject().put("query", document("upsert-bucket-016.graphql")).put("variables", variables)));
    assertEquals(200, created.statusCode(), created.bodyAsString());
    JsonObject news =
        bus.next(
            f -> rec(OWN_PROJECT).test(f) && "newrun01".equals(f.getJsonObject("body").getString("run")),
            "the project's notice of a new run");
    assertEquals("running", news.getJsonObject("body").getString("state"));

    // a stop request, through the read API: the run's listeners hear it
    HttpResponse<Buffer> stop =
        ServerFixture.await(
            fixture.client
                .post("/api/v1/entities/alice/projects/" + ServerFixture.PROJECT + "/runs/newrun01/stop")
                .putHeader("Authorization", ServerFixture.basic(fixture.alice.key()))
                .send());
    assertEquals(200, stop.statusCode(), stop.bodyAsString());
    bus.register("rb.ui.run.alice/" + ServerFixture.PROJECT + "/newrun01");
    // the stop notice may have gone out before the registration: ask again until one is heard
    JsonObject stopped = null;
    for (int i = 0; i < 20 && stopped == null; i++) {
      ServerFixture.await(
          fixture.client
              .post("/api/v1/entities/alice/projects/" + ServerFixture.PROJECT + "/runs/newrun01/stop")
              .putHeader("Authorization", ServerFixture.basic(fixture.alice.key()))
              .send());
      bus.poll(1000);
      stopped = bus.claim(rec("rb.ui.run.alice/" + ServerFixture.PROJECT + "/newrun01"));
    }
    assertNotNull(stopped, () -> "no stop notice; frames: " + bus.seen);
    assertTrue(stopped.getJsonObject("body").getBoolean("stopRequested"));
    assertFalse(bus.seen.stream().anyMatch(err()), () -> "no refusal: " + bus.seen);
  }

  @Test
  void anotherEntitysAddressesOtherAddressesAndSendsAreRefused() throws Exception {
    // bob has a run of the same name in a project of the same name
    fixture.store.runs().upsert(fixture.bob.user(), ServerFixture.upsert("bob", ServerFixture.PROJECT, ServerFixture.RUN));
    Bus bus = new Bus(fixture.alice.key());
    String bobs = "rb.ui.run.bob/" + ServerFixture.PROJECT + "/" + ServerFixture.RUN;
    for (String address :
        List.of(bobs, "rb.ui.project.bob/" + ServerFixture.PROJECT, "runbus.internal", "rb.ui.run.alice/" + ServerFixture.PROJECT)) {
      bus.register(address);
      bus.next(err(), "a refusal of " + address);
    }
    for (String type : List.of("send", "publish")) {
      bus.write(new JsonObject().put("type", type).put("address", OWN_RUN).put("body", new JsonObject()));
      bus.next(err(), "a refusal of a " + type);
    }

    // bob's posts reach nobody on alice's socket; her own run's notice comes through
    bus.register(OWN_RUN);
    HttpResponse<Buffer> bobsPost =
        fixture.send(
            fixture.client
                .post(ServerFixture.fileStreamPath("bob", ServerFixture.PROJECT, ServerFixture.RUN))
                .putHeader("Authorization", ServerFixture.basic(fixture.bob.key())),
            ServerFixture.historyPost(0, 3));
    assertEquals(200, bobsPost.statusCode(), bobsPost.bodyAsString());
    long lines = 0;
    JsonObject own = null;
    for (int i = 0; i < 20 && own == null; i++) {
      post(ServerFixture.historyPost(lines, 1));
      lines++;
      bus.poll(1000);
      own = bus.claim(rec(OWN_RUN));
    }
    assertNotNull(own, () -> "no notice of alice's own run; frames: " + bus.seen);
    assertFalse(bus.seen.stream().anyMatch(rec(bobs)), () -> "bob's notice reached alice: " + bus.seen);
    assertFalse(bus.seen.stream().anyMatch(f -> f.encode().contains("\"bob")), bus.seen::toString);
  }

  @Test
  void withoutAValidKeyTheUpgradeIsRefused() throws Exception {
    for (String key : new String[] {"", "not-a-key-" + "x".repeat(30)}) {
      ExecutionException refused =
          org.junit.jupiter.api.Assertions.assertThrows(
              ExecutionException.class,
              () -> sockets.connect(
                      new WebSocketConnectOptions()
                          .setHost("127.0.0.1")
                          .setPort(fixture.server.port())
                          .setURI("/ui/bus/websocket")
                          .putHeader("Authorization", ServerFixture.basic(key)))
                  .toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS));
      assertTrue(refused.getCause() instanceof UpgradeRejectedException, refused.toString());
      assertEquals(401, ((UpgradeRejectedException) refused.getCause()).getStatus());
    }
    HttpResponse<Buffer> info = ServerFixture.await(fixture.client.get("/ui/bus/info").send());
    assertEquals(401, info.statusCode());
  }

  @Test
  void aRunMarkedCrashedForItsSilenceIsHeardOfOnTheRunAndTheProject() throws Exception {
    fixture.close();
    fixture =
        ServerFixture.start(
            vertx, data.resolve("silent"), limits -> limits.withCrashAfter(java.time.Duration.ofSeconds(1)));
    Bus bus = new Bus(fixture.alice.key());
    bus.register(OWN_RUN);
    bus.register(OWN_PROJECT);
    // posts keep the run alive and show the registration took effect; then it falls silent
    JsonObject heard = null;
    for (int i = 0; i < 20 && heard == null; i++) {
      post(ServerFixture.historyPost(i, 1));
      bus.poll(200);
      heard = bus.claim(rec(OWN_RUN));
    }
    assertNotNull(heard, () -> "no notice of the run's posts; frames: " + bus.seen);
    JsonObject crashed =
        bus.next(
            f -> rec(OWN_RUN).test(f) && "crashed".equals(f.getJsonObject("body").getString("state")),
            "the crashed state");
    assertTrue(crashed.getJsonObject("body").getLong("historyLineCount") >= 1);
    assertEquals(
        new JsonObject().put("run", ServerFixture.RUN).put("state", "crashed"),
        bus.next(
                f -> rec(OWN_PROJECT).test(f) && "crashed".equals(f.getJsonObject("body").getString("state")),
                "the project's notice of the crash")
            .getJsonObject("body"));
  }

  @Test
  void aStoppingServerClosesTheBridgeSocketsInsteadOfWaitingForThem() throws Exception {
    fixture.close();
    // a shutdown timeout longer than the bound of the wait below: waiting for the socket would fail
    fixture =
        ServerFixture.start(
            vertx,
            data.resolve("stopping"),
            limits ->
                new dev.runbus.server.ServerLimits(
                    limits.maxInFlightBytes(),
                    limits.maxInFlightPosts(),
                    limits.uploadUrlTtl(),
                    limits.dbWorkers(),
                    java.time.Duration.ofSeconds(120),
                    limits.crashAfter()));
    Bus bus = new Bus(fixture.alice.key());
    bus.register(OWN_RUN);
    // a browser's pings keep the socket alive as long as the page is open
    long pings = vertx.setPeriodic(1000, id -> bus.socket.writeTextMessage("{\"type\":\"ping\"}"));
    try {
      ServerFixture closing = fixture;
      fixture = null;
      closing.close(); // stops the server, waiting at most 30 s
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(FRAME_WAIT_SECONDS);
      while (!bus.socket.isClosed() && System.nanoTime() < deadline) {
        Thread.sleep(20);
      }
      assertTrue(bus.socket.isClosed(), "the server closed the bridge socket");
    } finally {
      vertx.cancelTimer(pings);
    }
  }
}
