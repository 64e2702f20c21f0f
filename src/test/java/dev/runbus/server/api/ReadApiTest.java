package dev.runbus.server.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.runbus.server.RunFileStorage;
import dev.runbus.server.ServerConfig;
import dev.runbus.server.Viewer;
import dev.runbus.server.store.Accounts.IssuedKey;
import dev.runbus.server.store.FileStreamPost;
import dev.runbus.server.store.FileStreamPost.Chunk;
import dev.runbus.server.store.RunKey;
import dev.runbus.server.store.RunUpsert;
import dev.runbus.server.store.ServerStore;
import dev.runbus.server.store.ServerStores;
import dev.runbus.server.store.User;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.WorkerExecutor;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.auth.authentication.AuthenticationProvider;
import io.vertx.ext.auth.authentication.UsernamePasswordCredentials;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import io.vertx.ext.web.client.WebClientOptions;
import io.vertx.ext.web.handler.BasicAuthHandler;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The read API on a real HTTP server on loopback, over the real SQLite store in a temporary data
 * directory, with data put in through the store's own interfaces; requests carry HTTP Basic
 * {@code api:<key>} as in production.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class ReadApiTest {
  private static final String RUNS = "/api/v1/entities/alice/projects/vision/runs";

  @TempDir Path dir;
  private Vertx vertx;
  private ServerStore store;
  private CountingStore counting;
  private WorkerExecutor db;
  private RunFileStorage files;
  private HttpServer server;
  private WebClient client;
  private User alice;
  private User bob;
  private String aliceKey;
  private String bobKey;

  @BeforeEach
  void start() throws Exception {
    vertx = Vertx.vertx();
    store = ServerStores.open(ServerConfig.defaults(dir));
    counting = new CountingStore(store);
    db = vertx.createSharedWorkerExecutor("runbus-db", 4);
    files = new RunFileStorage(dir);
    IssuedKey a = store.accounts().createKey("alice");
    IssuedKey b = store.accounts().createKey("bob");
    alice = a.user();
    bob = b.user();
    aliceKey = a.key();
    bobKey = b.key();

    Router api = ReadApi.create(vertx, counting.store, db, files).await(30, TimeUnit.SECONDS);
    AuthenticationProvider keys =
        credentials -> {
          String key = ((UsernamePasswordCredentials) credentials).getPassword();
          return db.executeBlocking(
              () ->
                  store
                      .accounts()
                      .userForKey(key)
                      .map(Viewer::principal)
                      .orElseThrow(() -> new IllegalArgumentException("bad key")),
              false);
        };
    Router root = Router.router(vertx);
    root.route("/api/v1/*").handler(BasicAuthHandler.create(keys, "runbus"));
    root.route("/api/v1/*").subRouter(api);
    server =
        vertx.createHttpServer().requestHandler(root).listen(0, "127.0.0.1").await(30, TimeUnit.SECONDS);
    client =
        WebClient.create(
            vertx,
            new WebClientOptions().setDefaultHost("127.0.0.1").setDefaultPort(server.actualPort()));
  }

  @AfterEach
  void stop() throws Exception {
    if (vertx != null) {
      vertx.close().await(30, TimeUnit.SECONDS);
    }
    if (store != null) {
      store.close();
    }
  }

  // ---- data, through the store's own interfaces ----

  private void upsert(User who, String project, String name, String group, List<String> tags,
      String config, String summary) {
    store
        .runs()
        .upsert(
            who,
            new RunUpsert(who.name(), project, name, null, "notes of " + name, null, group,
                "train", "node-1", "train.py", null, null, null, "running", config, summary,
                tags));
  }

  private void post(User who, String project, String run, Map<String, Chunk> chunks,
      boolean complete, Integer exitCode) {
    store
        .fileStreams()
        .apply(who, new RunKey(who.name(), project, run),
            new FileStreamPost(chunks, List.of(), complete, exitCode, false));
  }

  private void history(User who, String project, String run, long offset, List<String> lines) {
    post(who, project, run, Map.of("wandb-history.jsonl", new Chunk(offset, lines)), false, null);
  }

  private static String historyLine(int step) {
    return "{\"_step\":" + step + ",\"loss\":" + (1.0 / (step + 1)) + ",\"acc\":" + (step / 100.0)
        + ",\"_runtime\":" + (step * 0.5) + "}";
  }

  /** alice/vision: five runs with states, tags, groups and a summary metric to sort by. */
  private void fiveRuns() {
    upsert(alice, "vision", "r1", "sweep-a", List.of("base", "gpu"),
        "{\"lr\":{\"value\":0.01,\"desc\":null}}", "{\"loss\":0.5}");
    upsert(alice, "vision", "r2", "sweep-a", List.of("gpu"), "{}", "{\"loss\":0.2}");
    upsert(alice, "vision", "r3", "sweep-b", List.of(), "{}", "{\"loss\":0.9}");
    upsert(alice, "vision", "r4", "sweep-b", List.of(), "{}", "{\"acc\":1}");
    upsert(alice, "vision", "r5", "sweep-b", List.of(), "{}", "{\"loss\":0.1}");
    post(alice, "vision", "r1", Map.of(), true, 0);
    post(alice, "vision", "r3", Map.of(), true, 1);
  }

  // ---- requests ----

  private HttpResponse<Buffer> get(String key, String uri) throws Exception {
    return client.get(uri).basicAuthentication("api", key).send().await(60, TimeUnit.SECONDS);
  }

  private HttpResponse<Buffer> post(String key, String uri) throws Exception {
    return client.post(uri).basicAuthentication("api", key).send().await(60, TimeUnit.SECONDS);
  }

  private JsonObject getJson(String uri) throws Exception {
    HttpResponse<Buffer> r = get(aliceKey, uri);
    assertEquals(200, r.statusCode(), () -> uri + ": " + r.bodyAsString());
    assertTrue(r.getHeader("Content-Type").startsWith("application/json"), uri);
    return r.bodyAsJsonObject();
  }

  private static List<String> names(JsonObject page) {
    List<String> out = new ArrayList<>();
    for (Object run : page.getJsonArray("runs")) {
      out.add(((JsonObject) run).getString("name"));
    }
    return out;
  }

  // ---- tests ----

  @Test
  void entitiesAndProjectsAreTheViewersOwn() throws Exception {
    fiveRuns();
    upsert(alice, "audio", "a1", null, List.of(), "{}", "{}");
    upsert(bob, "secret", "b1", null, List.of(), "{}", "{}");

    assertEquals(new JsonArray().add("alice"), getJson("/api/v1/entities").getJsonArray("entities"));
    JsonArray projects = getJson("/api/v1/entities/alice/projects").getJsonArray("projects");
    assertEquals(2, projects.size(), projects::encode);
    JsonObject vision = null;
    for (Object p : projects) {
      if (((JsonObject) p).getString("name").equals("vision")) {
        vision = (JsonObject) p;
      }
    }
    assertNotNull(vision, projects::encode);
    assertEquals(5, vision.getLong("runCount"));
    assertEquals("alice", vision.getString("entity"));
    assertNotNull(vision.getString("createdAt"));

    HttpResponse<Buffer> unknown = get(aliceKey, "/api/v1/nothing/here");
    assertEquals(404, unknown.statusCode());
    assertEquals("no such endpoint", unknown.bodyAsJsonObject().getString("error"));

    HttpResponse<Buffer> bobs = get(aliceKey, "/api/v1/entities/bob/projects");
    assertEquals(404, bobs.statusCode());
    assertFalse(bobs.bodyAsString().contains("secret"), bobs.bodyAsString());
    assertEquals(404, get(aliceKey, "/api/v1/entities/bob/projects/secret/runs").statusCode());
    assertEquals(404, get(aliceKey, "/api/v1/entities/alice/projects/nosuch/runs").statusCode());
  }

  @Test
  void runsAreFilteredSortedBySummaryMetricAndPaged() throws Exception {
    fiveRuns();

    assertEquals(List.of("r1"), names(getJson(RUNS + "?state=finished")));
    assertEquals(List.of("r3"), names(getJson(RUNS + "?state=failed")));
    assertEquals(List.of("r1", "r2"), names(getJson(RUNS + "?tag=gpu&sort=name&order=asc")));
    assertEquals(List.of("r1", "r2"), names(getJson(RUNS + "?group=sweep-a&sort=name&order=asc")));
    assertEquals(List.of("r2"), names(getJson(RUNS + "?group=sweep-a&state=running")));

    List<String> ascending = names(getJson(RUNS + "?sort=summary.loss&order=asc"));
    assertEquals(List.of("r5", "r2", "r1", "r3"), ascending.subList(0, 4), ascending::toString);
    List<String> descending = names(getJson(RUNS + "?sort=summary.loss&order=desc"));
    assertEquals(
        List.of("r3", "r1", "r2", "r5"),
        descending.stream().filter(n -> !n.equals("r4")).toList(),
        descending::toString);
    assertEquals(5, descending.size());

    List<String> seen = new ArrayList<>();
    String uri = RUNS + "?sort=name&order=asc&limit=2";
    JsonObject page = getJson(uri);
    assertEquals(5, page.getLong("total"));
    seen.addAll(names(page));
    int pages = 1;
    while (page.getValue("nextCursor") != null) {
      page = getJson(uri + "&cursor=" + page.getLong("nextCursor"));
      assertTrue(names(page).size() <= 2);
      seen.addAll(names(page));
      pages++;
    }
    assertEquals(List.of("r1", "r2", "r3", "r4", "r5"), seen);
    assertEquals(3, pages);
    assertTrue(page.containsKey("nextCursor"), "the last page says there is no next one");
  }

  @Test
  void oneRunWithConfigSummaryStateTimingsAndFiles() throws Exception {
    fiveRuns();
    post(alice, "vision", "r1",
        Map.of("wandb-summary.json",
            new Chunk(0, List.of("{\"loss\":0.5,\"best\":NaN,\"up\":Infinity,\"down\":-Infinity}"))),
        false, null);
    Path bytes = files.pathOf(store.runs().find(alice, new RunKey("alice", "vision", "r1"))
        .orElseThrow().id(), "config.yaml");
    Files.createDirectories(bytes.getParent());
    Files.writeString(bytes, "lr: 0.01\n");
    long runId = store.runs().find(alice, new RunKey("alice", "vision", "r1")).orElseThrow().id();
    store.files().recordUpload(runId, "config.yaml", 9, "bWQ1");

    JsonObject run = getJson(RUNS + "/r1");
    assertEquals("r1", run.getString("name"));
    assertEquals("alice", run.getString("entity"));
    assertEquals("vision", run.getString("project"));
    assertEquals("finished", run.getString("state"));
    assertEquals(0, run.getInteger("exitCode"));
    assertEquals(0.01, run.getJsonObject("config").getJsonObject("lr").getDouble("value"));
    JsonObject summary = run.getJsonObject("summary");
    assertEquals(0.5, summary.getDouble("loss"));
    assertEquals("NaN", summary.getString("best"));
    assertEquals("Infinity", summary.getString("up"));
    assertEquals("-Infinity", summary.getString("down"));
    assertEquals(new JsonArray().add("base").add("gpu"), run.getJsonArray("tags"));
    assertEquals("notes of r1", run.getString("notes"));
    assertEquals("sweep-a", run.getString("group"));
    assertEquals("train", run.getString("jobType"));
    assertEquals("node-1", run.getString("host"));
    assertEquals("train.py", run.getString("program"));
    assertNotNull(java.time.Instant.parse(run.getString("createdAt")));
    assertNotNull(java.time.Instant.parse(run.getString("updatedAt")));
    JsonObject file = run.getJsonArray("files").getJsonObject(0);
    assertEquals("config.yaml", file.getString("name"));
    assertEquals(9, file.getLong("size"));
    assertEquals(file, getJson(RUNS + "/r1/files").getJsonArray("files").getJsonObject(0));

    JsonObject failed = getJson(RUNS + "/r3");
    assertEquals("failed", failed.getString("state"));
    assertEquals(1, failed.getInteger("exitCode"));
    assertNull(getJson(RUNS + "/r2").getValue("exitCode"));
  }

  @Test
  void historyKeysSampledAndFull() throws Exception {
    upsert(alice, "vision", "h", null, List.of(), "{}", "{}");
    List<String> lines = new ArrayList<>();
    for (int i = 0; i < 500; i++) {
      lines.add(i == 250 ? "{\"_step\":250,\"loss\":NaN,\"acc\":2.5,\"_runtime\":125.0}"
          : historyLine(i));
    }
    history(alice, "vision", "h", 0, lines);

    JsonArray keys = getJson(RUNS + "/h/history/keys").getJsonArray("keys");
    assertTrue(keys.contains("loss") && keys.contains("acc") && keys.contains("_step"), keys::encode);

    JsonObject sampled = getJson(RUNS + "/h/history?keys=loss,acc&samples=50");
    assertEquals(500, sampled.getLong("rowsScanned"));
    JsonArray series = sampled.getJsonArray("series");
    assertEquals(2, series.size());
    JsonObject acc = series.getJsonObject(1);
    assertEquals("acc", acc.getString("key"));
    int points = acc.getJsonArray("steps").size();
    assertTrue(points >= 25 && points <= 100, "points: " + points);
    assertEquals(points, acc.getJsonArray("values").size());
    assertEquals(4.99, acc.getJsonArray("values").getDouble(points - 1), "the maximum survives");

    HttpResponse<Buffer> full = get(aliceKey, RUNS + "/h/history?keys=loss");
    assertEquals(200, full.statusCode(), full::bodyAsString);
    assertEquals("application/x-ndjson", full.getHeader("Content-Type"));
    String[] out = full.bodyAsString().split("\n");
    assertEquals(500, out.length);
    for (int i = 0; i < out.length; i++) {
      JsonObject line = new JsonObject(out[i]); // plain JSON: NaN came out as a string
      assertEquals(i, line.getInteger("_step"));
      if (i == 250) {
        assertEquals("NaN", line.getString("loss"));
      } else {
        assertEquals(1.0 / (i + 1), line.getDouble("loss"), 1e-12);
      }
      assertFalse(line.containsKey("acc"));
    }

    HttpResponse<Buffer> window =
        get(aliceKey, RUNS + "/h/history?keys=acc&from=100&limit=3&format=json");
    assertEquals(Answers.JSON, window.getHeader("Content-Type"));
    JsonArray array = window.bodyAsJsonArray();
    assertEquals(3, array.size());
    assertEquals(100, array.getJsonObject(0).getInteger("_step"));
    assertEquals(1.02, array.getJsonObject(2).getDouble("acc"));

    JsonArray all = get(aliceKey, RUNS + "/h/history?format=json").bodyAsJsonArray();
    assertEquals(500, all.size());
    assertEquals(0.5 * 499, all.getJsonObject(499).getDouble("_runtime"));
  }

  @Test
  void consoleAndSystemMetricsFromAnOffset() throws Exception {
    upsert(alice, "vision", "c", null, List.of(), "{}", "{}");
    List<String> console = new ArrayList<>();
    for (int i = 0; i < 10; i++) {
      console.add("line " + i + " \"quoted\"");
    }
    post(alice, "vision", "c",
        Map.of("output.log", new Chunk(0, console),
            "wandb-events.jsonl", new Chunk(0, List.of(
                "{\"system.cpu\":12.5,\"_runtime\":1}",
                "{\"system.cpu\":NaN,\"_runtime\":2}",
                "{\"system.cpu\":30,\"_runtime\":3}"))),
        false, null);

    JsonObject page = getJson(RUNS + "/c/console?from=4&limit=3");
    JsonArray lines = page.getJsonArray("lines");
    assertEquals(3, lines.size());
    assertEquals(4, lines.getJsonObject(0).getLong("line"));
    assertEquals("line 4 \"quoted\"", lines.getJsonObject(0).getString("text"));
    assertEquals(7, page.getLong("next"));
    assertEquals(10, page.getLong("total"));
    JsonObject rest = getJson(RUNS + "/c/console?from=7");
    assertEquals(3, rest.getJsonArray("lines").size());
    assertEquals(10, rest.getLong("next"));
    assertEquals(0, getJson(RUNS + "/c/console?from=10").getJsonArray("lines").size());

    JsonObject events = getJson(RUNS + "/c/events?from=1");
    JsonArray ev = events.getJsonArray("lines");
    assertEquals(2, ev.size());
    assertEquals("NaN", ev.getJsonObject(0).getJsonObject("values").getString("system.cpu"));
    assertEquals(30, ev.getJsonObject(1).getJsonObject("values").getInteger("system.cpu"));
    assertEquals(3, events.getLong("next"));
  }

  @Test
  void aFilesContentIsStreamedWithItsType() throws Exception {
    upsert(alice, "vision", "f", null, List.of(), "{}", "{}");
    long runId = store.runs().find(alice, new RunKey("alice", "vision", "f")).orElseThrow().id();
    byte[] png = new byte[300_000];
    for (int i = 0; i < png.length; i++) {
      png[i] = (byte) (i * 31);
    }
    Path path = files.pathOf(runId, "media/images/a.png");
    Files.createDirectories(path.getParent());
    Files.write(path, png);
    store.files().recordUpload(runId, "media/images/a.png", png.length, null);
    Path meta = files.pathOf(runId, "wandb-metadata.json");
    Files.writeString(meta, "{\"host\":\"node-1\"}");
    store.files().recordUpload(runId, "wandb-metadata.json", 17, null);
    Files.writeString(files.pathOf(runId, "unrecorded.txt"), "not recorded");

    HttpResponse<Buffer> image = get(aliceKey, RUNS + "/f/file?name=media/images/a.png");
    assertEquals(200, image.statusCode());
    assertEquals("image/png", image.getHeader("Content-Type"));
    assertEquals("sandbox", image.getHeader("Content-Security-Policy"));
    assertEquals("nosniff", image.getHeader("X-Content-Type-Options"));
    assertTrue(java.util.Arrays.equals(png, image.body().getBytes()));

    HttpResponse<Buffer> json = get(aliceKey, RUNS + "/f/file?name=wandb-metadata.json");
    assertEquals("application/json; charset=utf-8", json.getHeader("Content-Type"));
    assertEquals("node-1", json.bodyAsJsonObject().getString("host"));

    assertEquals(404, get(aliceKey, RUNS + "/f/file?name=missing.txt").statusCode());
    assertEquals(404, get(aliceKey, RUNS + "/f/file?name=unrecorded.txt").statusCode());
    HttpResponse<Buffer> traversal = get(aliceKey, RUNS + "/f/file?name=..%2F..%2Fkeys");
    assertEquals(400, traversal.statusCode());
    assertTrue(traversal.bodyAsJsonObject().getString("error").contains(".."), traversal::bodyAsString);
  }

  @Test
  void aStopRequestReachesTheRunsClient() throws Exception {
    upsert(alice, "vision", "s", null, List.of(), "{}", "{}");
    HttpResponse<Buffer> stop = post(aliceKey, RUNS + "/s/stop");
    assertEquals(200, stop.statusCode(), stop::bodyAsString);
    assertTrue(stop.bodyAsJsonObject().getBoolean("stopRequested"));
    assertTrue(getJson(RUNS + "/s").getBoolean("stopRequested"));
    var applied = store.fileStreams().apply(alice, new RunKey("alice", "vision", "s"),
        new FileStreamPost(Map.of(), List.of(), false, null, false));
    assertTrue(applied.stopRequested());
  }

  @Test
  void badParametersAre400sBeforeAnyHandlerRuns() throws Exception {
    fiveRuns();
    counting.calls.set(0);
    String run = RUNS + "/r1";
    Map<String, String> cases = new java.util.LinkedHashMap<>();
    cases.put(RUNS + "?limit=0", "limit");
    cases.put(RUNS + "?limit=abc", "limit");
    cases.put(RUNS + "?limit=201", "limit");
    cases.put(RUNS + "?state=asleep", "state");
    cases.put(RUNS + "?sort=loss", "sort");
    cases.put(RUNS + "?order=up", "order");
    cases.put(RUNS + "?cursor=-1", "cursor");
    cases.put(run + "/history?samples=1&keys=loss", "samples");
    cases.put(run + "/history?samples=many&keys=loss", "samples");
    cases.put(run + "/history?from=-1", "from");
    cases.put(run + "/history?limit=0", "limit");
    cases.put(run + "/history?format=xml", "format");
    cases.put(run + "/console?limit=0", "limit");
    cases.put(run + "/console?limit=10001", "limit");
    cases.put(run + "/events?from=x", "from");
    cases.put(run + "/file", "name");
    cases.put(run + "/history?keys=loss;acc", "%3B");
    for (Map.Entry<String, String> c : cases.entrySet()) {
      HttpResponse<Buffer> r = get(aliceKey, c.getKey());
      assertEquals(400, r.statusCode(), () -> c.getKey() + ": " + r.bodyAsString());
      String error = r.bodyAsJsonObject().getString("error");
      assertTrue(error.contains(c.getValue()), () -> c.getKey() + ": " + error);
    }
    assertEquals(0, counting.calls.get(), "no handler read the store for a refused request");
  }

  @Test
  void anotherEntitysRunIsNotFoundAndRevealsNothing() throws Exception {
    fiveRuns();
    upsert(bob, "vision", "mine", null, List.of(), "{}", "{}");
    String nowhere = "/api/v1/entities/bob/projects/vision/runs/nosuchrun";
    HttpResponse<Buffer> missing = get(bobKey, nowhere);
    assertEquals(404, missing.statusCode());
    for (String tail : List.of("", "/history?keys=loss", "/history?keys=loss&samples=10",
        "/history/keys", "/console", "/events", "/files", "/file?name=config.yaml")) {
      HttpResponse<Buffer> theirs = get(bobKey, RUNS + "/r1" + tail);
      assertEquals(404, theirs.statusCode(), tail);
      assertEquals(missing.bodyAsString(), theirs.bodyAsString(), tail);
      assertEquals(missing.bodyAsString(), get(bobKey, nowhere + tail).bodyAsString(), tail);
    }
    HttpResponse<Buffer> stop = post(bobKey, RUNS + "/r1/stop");
    assertEquals(404, stop.statusCode());
    assertEquals(missing.bodyAsString(), stop.bodyAsString());
    assertFalse(getJson(RUNS + "/r1").getBoolean("stopRequested"));
    // alice cannot reach bob's run through her own key either
    assertEquals(404,
        get(aliceKey, "/api/v1/entities/bob/projects/vision/runs/mine").statusCode());
  }

  @Test
  void aFullHistoryOf50000RowsArrivesCompleteAndInOrder() throws Exception {
    upsert(alice, "vision", "big", null, List.of(), "{}", "{}");
    int rows = 50_000;
    for (int from = 0; from < rows; from += 5_000) {
      List<String> lines = new ArrayList<>(5_000);
      for (int i = from; i < from + 5_000; i++) {
        lines.add(historyLine(i));
      }
      history(alice, "vision", "big", from, lines);
    }

    HttpResponse<Buffer> r = get(aliceKey, RUNS + "/big/history?keys=loss,acc");
    assertEquals(200, r.statusCode());
    String body = r.body().toString(StandardCharsets.UTF_8);
    int step = 0;
    int start = 0;
    for (int end = body.indexOf('\n'); end >= 0; end = body.indexOf('\n', start)) {
      JsonObject line = new JsonObject(body.substring(start, end));
      assertEquals(step, line.getInteger("_step"));
      assertEquals(step / 100.0, line.getDouble("acc"));
      step++;
      start = end + 1;
    }
    assertEquals(rows, step);
    assertEquals(body.length(), start, "the body ends with its last line");
  }

  @Test
  void aSlowClientHoldsTheStreamBackAndStillGetsEverything() throws Exception {
    upsert(alice, "vision", "wide", null, List.of(), "{}", "{}");
    int rows = 2_000;
    StringBuilder wide = new StringBuilder();
    for (int k = 0; k < 400; k++) {
      wide.append(",\"metric_").append(k).append("\":").append(k + 0.123456789);
    }
    for (int from = 0; from < rows; from += 250) {
      List<String> lines = new ArrayList<>();
      for (int i = from; i < from + 250; i++) {
        lines.add("{\"_step\":" + i + wide + "}");
      }
      history(alice, "vision", "wide", from, lines);
    }
    long waitsBefore = HistoryStream.DRAIN_WAITS.get();

    // a client that reads nothing until the server has had to wait for it: a plain socket with a
    // small receive buffer, so that the answer cannot hide in the kernel's buffers
    String auth = java.util.Base64.getEncoder()
        .encodeToString(("api:" + aliceKey).getBytes(StandardCharsets.UTF_8));
    Buffer received;
    try (java.net.Socket socket = new java.net.Socket()) {
      socket.setReceiveBufferSize(64 * 1024);
      socket.setSoTimeout(60_000);
      socket.connect(new java.net.InetSocketAddress("127.0.0.1", server.actualPort()));
      socket.getOutputStream().write(("GET " + RUNS + "/wide/history HTTP/1.1\r\n"
          + "Host: 127.0.0.1\r\nAuthorization: Basic " + auth + "\r\n\r\n")
          .getBytes(StandardCharsets.US_ASCII));
      socket.getOutputStream().flush();
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
      while (HistoryStream.DRAIN_WAITS.get() == waitsBefore) {
        assertTrue(System.nanoTime() < deadline, "the stream never waited for its client");
        Thread.sleep(10);
      }
      int readsWhileWaiting = counting.calls.get();
      received = ChunkedBody.read(socket.getInputStream());
      // the store was read on only once the client took what it had been sent
      assertTrue(counting.calls.get() > readsWhileWaiting + 2,
          counting.calls.get() + " store calls, " + readsWhileWaiting + " before the client read");
    }

    String[] lines = received.toString(StandardCharsets.UTF_8).split("\n");
    assertEquals(rows, lines.length);
    for (int i = 0; i < rows; i++) {
      JsonObject line = new JsonObject(lines[i]);
      assertEquals(i, line.getInteger("_step"));
      assertEquals(401, line.size());
    }
  }

  // ---- the UI's additions: search, config sort, project keys, x ----

  @Test
  void runsAreSearchedByNameAndSortedByAConfigValue() throws Exception {
    fiveRuns();
    upsert(alice, "vision", "lr_big", null, List.of(), "{\"lr\":{\"value\":0.5}}", "{}");
    upsert(alice, "vision", "lrsmall", null, List.of(), "{\"lr\":{\"value\":0.001}}", "{}");
    assertEquals(List.of("lr_big"), names(getJson(RUNS + "?search=R_B")));
    assertEquals(List.of("lr_big", "lrsmall"), names(getJson(RUNS + "?search=LR&sort=name&order=asc")));
    assertEquals(7, getJson(RUNS + "?search=").getLong("total"));
    List<String> byLr = names(getJson(RUNS + "?sort=config.lr&order=asc"));
    assertEquals(List.of("lrsmall", "r1", "lr_big"), byLr.subList(0, 3), byLr::toString);
    assertEquals(7, byLr.size());
    byLr = names(getJson(RUNS + "?sort=config.lr&order=desc"));
    assertEquals(List.of("lr_big", "r1", "lrsmall"), byLr.subList(0, 3), byLr::toString);

    HttpResponse<Buffer> long_ = get(aliceKey, RUNS + "?search=" + "x".repeat(257));
    assertEquals(400, long_.statusCode(), long_.bodyAsString());
    assertEquals(400, get(aliceKey, RUNS + "?sort=config.").statusCode());
  }

  @Test
  void aProjectsConfigAndSummaryKeysForTheColumnPicker() throws Exception {
    fiveRuns();
    upsert(alice, "vision", "r6", null, List.of(), "{\"batch\":{\"value\":32},\"_wandb\":{\"value\":{}}}",
        "{\"_runtime\":12,\"_timestamp\":1.7e9,\"val\":{\"acc\":1}}");
    JsonObject keys = getJson("/api/v1/entities/alice/projects/vision/keys");
    assertEquals(new JsonArray().add("batch").add("lr"), keys.getJsonArray("config"));
    assertEquals(new JsonArray().add("_runtime").add("acc").add("loss").add("val"),
        keys.getJsonArray("summary"));
    assertEquals(404, get(bobKey, "/api/v1/entities/alice/projects/vision/keys").statusCode());
    assertEquals(404, get(aliceKey, "/api/v1/entities/alice/projects/nosuch/keys").statusCode());
  }

  @Test
  void sampledHistoryCarriesTheXKeyOfEachPoint() throws Exception {
    fiveRuns();
    List<String> lines = new ArrayList<>();
    for (int step = 0; step < 50; step++) {
      // _runtime on every line but the tenth ones; NaN once
      String line = step % 10 == 0 ? "{\"_step\":" + step + ",\"loss\":" + step + "}"
          : step == 7 ? "{\"_step\":7,\"loss\":7,\"_runtime\":NaN}" : historyLine(step);
      lines.add(line);
    }
    history(alice, "vision", "r2", 0, lines);
    String uri = RUNS + "/r2/history?keys=loss&samples=100";
    JsonObject plain = getJson(uri).getJsonArray("series").getJsonObject(0);
    assertFalse(plain.containsKey("xs"), plain::encode);
    assertFalse(getJson(uri + "&x=_step").getJsonArray("series").getJsonObject(0).containsKey("xs"));

    JsonObject byRuntime = getJson(uri + "&x=_runtime").getJsonArray("series").getJsonObject(0);
    JsonArray steps = byRuntime.getJsonArray("steps");
    JsonArray xs = byRuntime.getJsonArray("xs");
    assertEquals(50, xs.size());
    for (int i = 0; i < steps.size(); i++) {
      int step = steps.getInteger(i);
      Object want = step % 10 == 0 ? null : step == 7 ? "NaN" : step * 0.5;
      Object got = xs.getValue(i);
      assertEquals(want, got instanceof Number n ? (Object) n.doubleValue() : got, "step " + step);
    }
    assertEquals(400, get(aliceKey, uri + "&x=a,b").statusCode());
  }
}
