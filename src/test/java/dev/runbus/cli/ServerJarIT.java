package dev.runbus.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.runbus.server.ServerConfig;
import dev.runbus.server.store.Accounts;
import dev.runbus.server.store.RunKey;
import dev.runbus.server.store.RunUpsert;
import dev.runbus.server.store.ServerStore;
import dev.runbus.server.store.ServerStores;
import dev.runbus.testing.ServerProcess;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code runbus server} and {@code runbus server key ...} through the packaged jar. */
class ServerJarIT {

  private static final Pattern KEY_HINT =
      Pattern.compile("WANDB_API_KEY=(\\S+) WANDB_BASE_URL=(http://\\S+)");

  @TempDir Path work;
  private Vertx vertx;
  private WebClient client;

  @BeforeEach
  void client() {
    vertx = Vertx.vertx();
    client = WebClient.create(vertx);
  }

  @AfterEach
  void close() throws Exception {
    client.close();
    vertx.close().await(10, TimeUnit.SECONDS);
  }

  private static String basic(String key) {
    return "Basic "
        + Base64.getEncoder().encodeToString(("api:" + key).getBytes(StandardCharsets.UTF_8));
  }

  private HttpResponse<Buffer> post(String url, String key, JsonObject body) throws Exception {
    return client
        .postAbs(url)
        .putHeader("Authorization", basic(key))
        .sendBuffer(body.toBuffer())
        .await(30, TimeUnit.SECONDS);
  }

  @Test
  void keysAreCreatedListedAndRevoked() throws Exception {
    Path data = work.resolve("data");
    RunbusJar jar = RunbusJar.in(work);
    RunbusJar.Result created = jar.run("server", "key", "create", "alice", "--data", data.toString());
    assertEquals(0, created.code(), created.toString());
    Matcher hint = KEY_HINT.matcher(created.stdout());
    assertTrue(hint.find(), created.toString());
    String key = hint.group(1);
    assertTrue(key.length() >= 40, key);

    RunbusJar.Result parentForm = jar.run("server", "--data", data.toString(), "key", "create", "bob");
    assertEquals(0, parentForm.code(), parentForm.toString());

    RunbusJar.Result listed = jar.run("server", "key", "list", "--data", data.toString());
    assertEquals(0, listed.code(), listed.toString());
    assertTrue(listed.stdout().contains("alice") && listed.stdout().contains("bob"), listed.toString());
    assertFalse(listed.stdout().contains(key), "list never shows a key");

    String aliceId = idOf(listed.stdout(), "alice");
    RunbusJar.Result revoked = jar.run("server", "key", "revoke", aliceId, "--data", data.toString());
    assertEquals(0, revoked.code(), revoked.toString());
    RunbusJar.Result again = jar.run("server", "key", "revoke", aliceId, "--data", data.toString());
    assertEquals(1, again.code(), again.toString());
    assertTrue(again.stderr().contains("runbus: no active key with id " + aliceId), again.toString());

    RunbusJar.Result noUser = jar.run("server", "key", "create", "--data", data.toString());
    assertEquals(2, noUser.code(), noUser.toString());

    try (ServerStore store = ServerStores.open(ServerConfig.defaults(data))) {
      assertTrue(store.accounts().userForKey(key).isEmpty(), "a revoked key opens nothing");
    }
  }

  private static String idOf(String listing, String user) {
    for (String line : listing.split("\n")) {
      String[] cols = line.trim().split("\\s+");
      if (cols.length > 1 && cols[1].equals(user)) {
        return cols[0];
      }
    }
    throw new AssertionError("no key of " + user + " in\n" + listing);
  }

  @Test
  void theFirstStartCreatesAKeyPrintsTheReadyLineAndSigtermStopsIt() throws Exception {
    Path data = work.resolve("data");
    String key;
    String url;
    try (ServerProcess server =
        ServerProcess.start(
            work, Map.of("RUNBUS_SERVER_PORT", "0", "RUNBUS_SERVER_USER", "ops"),
            "--data", data.toString())) {
      url = server.url();
      assertTrue(url.startsWith("http://127.0.0.1:"), url);
      String ready = server.lines().get(server.lines().size() - 1);
      assertEquals("runbus server listening on " + url + " (SQLite in " + data + ")", ready);
      assertTrue(
          server.lines().contains("runbus server web UI: " + url + "/ (sign in with an API key)"),
          server.output());
      Matcher hint = KEY_HINT.matcher(String.join("\n", server.lines()));
      assertTrue(hint.find(), server.output());
      key = hint.group(1);
      assertEquals(url, hint.group(2));

      HttpResponse<Buffer> health = client.getAbs(url + "/healthz").send().await(30, TimeUnit.SECONDS);
      assertEquals(200, health.statusCode());
      JsonObject post = new JsonObject().put("complete", false);
      assertEquals(401, post(url + "/files/ops/p/r/file_stream", "wrong", post).statusCode());
      assertEquals(404, post(url + "/files/ops/p/r/file_stream", key, post).statusCode());

      assertEquals(0, server.terminate(), server.output());
      assertTrue(server.lines().contains("runbus server stopped"), server.output());
    }
    try (ServerStore store = ServerStores.open(ServerConfig.defaults(data))) {
      assertEquals("ops", store.accounts().userForKey(key).orElseThrow().name());
    }
    try (ServerProcess again = ServerProcess.start(work, Map.of(), "--port", "0", "--data", data.toString())) {
      assertFalse(String.join("\n", again.lines()).contains("WANDB_API_KEY"), "no second first key");
      assertEquals(0, again.terminate());
    }
  }

  @Test
  void settingsComeFromConfServerJson() throws Exception {
    Files.createDirectories(work.resolve("conf"));
    Files.writeString(
        work.resolve("conf").resolve("server.json"),
        "{\"port\": 0, \"data\": \"from-file\", \"user\": \"filed\"}");
    try (ServerProcess server = ServerProcess.start(work, Map.of())) {
      assertTrue(server.lines().get(server.lines().size() - 1).endsWith("(SQLite in from-file)"), server.output());
      assertEquals(0, server.terminate());
    }
    try (ServerStore store =
        ServerStores.open(ServerConfig.defaults(work.resolve("from-file")))) {
      assertEquals("filed", store.accounts().listKeys().get(0).userName());
    }
  }

  @Test
  void aServerOnEveryAddressWithoutAPublicUrlSaysSo() throws Exception {
    try (ServerProcess server =
        ServerProcess.start(
            work, Map.of(), "--host", "0.0.0.0", "--port", "0", "--data", work.resolve("d").toString())) {
      assertEquals(0, server.terminate());
      assertTrue(server.output().contains("set --public-url"), server.output());
    }
  }

  /**
   * SIGTERM while four runs post as fast as they can: the server exits 0, and every post it
   * answered 200 is in the database afterwards.
   */
  @Test
  void sigtermDuringIngestLosesNoAcknowledgedPost() throws Exception {
    Path data = work.resolve("data");
    int runs = 4;
    int batch = 100;
    String key;
    try (ServerStore store = ServerStores.open(ServerConfig.defaults(data))) {
      Accounts.IssuedKey issued = store.accounts().createKey("alice");
      key = issued.key();
      for (int i = 0; i < runs; i++) {
        store
            .runs()
            .upsert(
                issued.user(),
                new RunUpsert(
                    "alice", "p", "run" + i, null, null, null, null, null, null, null, null,
                    null, null, null, null, null, null));
      }
    }
    AtomicLongArray acknowledged = new AtomicLongArray(runs);
    AtomicLong total = new AtomicLong();
    int code;
    try (ServerProcess server =
        ServerProcess.start(work, Map.of(), "--port", "0", "--data", data.toString())) {
      List<Thread> posters = new ArrayList<>();
      for (int i = 0; i < runs; i++) {
        int run = i;
        String url = server.url() + "/files/alice/p/run" + run + "/file_stream";
        Thread poster =
            new Thread(
                () -> {
                  long offset = 0;
                  while (true) {
                    JsonArray lines = new JsonArray();
                    for (long s = offset; s < offset + batch; s++) {
                      lines.add("{\"loss\": " + s * 0.5 + ", \"_step\": " + s + "}");
                    }
                    JsonObject body =
                        new JsonObject()
                            .put(
                                "files",
                                new JsonObject()
                                    .put(
                                        "wandb-history.jsonl",
                                        new JsonObject().put("offset", offset).put("content", lines)));
                    try {
                      if (post(url, key, body).statusCode() != 200) {
                        return;
                      }
                    } catch (Exception refusedOrCut) {
                      return;
                    }
                    offset += batch;
                    acknowledged.set(run, offset);
                    total.addAndGet(batch);
                  }
                },
                "poster-" + run);
        poster.start();
        posters.add(poster);
      }
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
      while (total.get() < 20 * batch && System.nanoTime() < deadline) {
        Thread.sleep(5);
      }
      assertTrue(total.get() >= 20 * batch, "posts were acknowledged before the signal");
      code = server.terminate();
      for (Thread poster : posters) {
        poster.join(60_000);
        assertFalse(poster.isAlive());
      }
      assertEquals(0, code, server.output());
    }
    try (ServerStore store = ServerStores.open(ServerConfig.defaults(data))) {
      var alice = store.accounts().userForKey(key).orElseThrow();
      for (int i = 0; i < runs; i++) {
        long stored =
            store.runs().find(alice, new RunKey("alice", "p", "run" + i)).orElseThrow().historyLineCount();
        assertTrue(
            stored >= acknowledged.get(i) && stored <= acknowledged.get(i) + batch,
            "run" + i + ": " + acknowledged.get(i) + " lines acknowledged, " + stored + " stored");
      }
    }
  }

  @Test
  void serverBenchMeasuresAServerOfItsOwnAndRemovesItsData() throws Exception {
    Path tmp = Files.createDirectories(work.resolve("tmp"));
    RunbusJar.Result result =
        RunbusJar.in(work)
            .jvm("-Djava.io.tmpdir=" + tmp)
            .run(
                "server", "bench", "--rows", "4000", "--post-rows", "1000", "--latency-posts",
                "0", "--repeats", "1");

    assertEquals(0, result.code(), result.toString());
    assertTrue(result.stdout().contains("ingest_rows_per_s"), result.toString());
    assertTrue(result.stdout().contains("server heap:"), result.toString());
    try (var left = Files.list(tmp)) {
      assertEquals(
          List.of(),
          left.map(p -> p.getFileName().toString())
              .filter(name -> name.startsWith("runbus-server-bench"))
              .toList());
    }
  }
}
