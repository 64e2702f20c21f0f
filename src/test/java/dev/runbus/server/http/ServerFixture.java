package dev.runbus.server.http;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.runbus.server.RunbusServer;
import dev.runbus.server.ServerConfig;
import dev.runbus.server.ServerLimits;
import dev.runbus.server.ServerSettings;
import dev.runbus.server.store.Accounts;
import dev.runbus.server.store.RunInfo;
import dev.runbus.server.store.RunKey;
import dev.runbus.server.store.RunUpsert;
import dev.runbus.server.store.ServerStore;
import dev.runbus.server.store.ServerStores;
import dev.runbus.server.store.User;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientRequest;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpRequest;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import io.vertx.ext.web.client.WebClientOptions;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.UnaryOperator;

/**
 * A real server on loopback (port 0) over a real SQLite store in a temporary directory, with two
 * users, alice and bob, and one run of alice's; requests through vertx-web-client in W&B's shapes.
 */
final class ServerFixture implements AutoCloseable {

  static final long MAX_BODY = 256 * 1024;
  static final long MAX_UPLOAD = 128 * 1024;
  static final String PROJECT = "mnist";
  static final String RUN = "abc12345";

  final Vertx vertx;
  final Path data;
  final ServerSettings settings;
  final ServerStore store;
  final RunbusServer server;
  final WebClient client;
  final Accounts.IssuedKey alice;
  final Accounts.IssuedKey bob;
  final RunInfo run;

  private ServerFixture(
      Vertx vertx,
      Path data,
      ServerSettings settings,
      ServerStore store,
      RunbusServer server,
      Accounts.IssuedKey alice,
      Accounts.IssuedKey bob,
      RunInfo run) {
    this.vertx = vertx;
    this.data = data;
    this.settings = settings;
    this.store = store;
    this.server = server;
    this.alice = alice;
    this.bob = bob;
    this.run = run;
    this.client =
        WebClient.create(
            vertx,
            new WebClientOptions()
                .setDefaultHost("127.0.0.1")
                .setDefaultPort(server.port()));
  }

  static ServerFixture start(Vertx vertx, Path data) throws Exception {
    return start(vertx, data, limits -> limits);
  }

  static ServerFixture start(Vertx vertx, Path data, UnaryOperator<ServerLimits> limits)
      throws Exception {
    ServerConfig config =
        new ServerConfig("127.0.0.1", 0, data, null, null, MAX_BODY, MAX_UPLOAD);
    ServerSettings settings = new ServerSettings(config, limits.apply(ServerLimits.defaults()), "admin");
    ServerStore store = ServerStores.open(config);
    Accounts.IssuedKey alice = store.accounts().createKey("alice");
    Accounts.IssuedKey bob = store.accounts().createKey("bob");
    RunInfo run =
        store
            .runs()
            .upsert(alice.user(), upsert("alice", PROJECT, RUN))
            .run();
    RunbusServer server = RunbusServer.start(vertx, settings, store).await(30, TimeUnit.SECONDS);
    return new ServerFixture(vertx, data, settings, store, server, alice, bob, run);
  }

  static RunUpsert upsert(String entity, String project, String name) {
    return new RunUpsert(
        entity, project, name, null, null, null, null, null, null, null, null, null, null, null,
        null, null, null);
  }

  RunKey runKey() {
    return new RunKey("alice", PROJECT, RUN);
  }

  RunInfo stored() {
    return store.runs().find(alice.user(), runKey()).orElseThrow();
  }

  User aliceUser() {
    return alice.user();
  }

  static String basic(String key) {
    return "Basic "
        + Base64.getEncoder().encodeToString(("api:" + key).getBytes(StandardCharsets.UTF_8));
  }

  static String fileStreamPath(String entity, String project, String run) {
    return "/files/" + entity + "/" + project + "/" + run + "/file_stream";
  }

  /**
   * A FileStream post of alice's whose headers and first bytes are sent and whose body is not
   * finished: it holds its place among the posts in flight until the caller ends it.
   */
  HttpClientRequest openFileStreamPost(HttpClient http) {
    HttpClientRequest request =
        await(
            http.request(
                new RequestOptions()
                    .setMethod(HttpMethod.POST)
                    .setHost("127.0.0.1")
                    .setPort(server.port())
                    .setURI(fileStreamPath("alice", PROJECT, RUN))
                    .putHeader("Authorization", basic(alice.key()))));
    request.setChunked(true);
    request.write("{\"files\": ");
    return request;
  }

  /** Waits (at most 20 s) until exactly {@code posts} FileStream posts are in flight. */
  void awaitPostsInFlight(int posts) {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
    while (server.limiter().postsInFlight() != posts && System.nanoTime() < deadline) {
      Thread.onSpinWait();
    }
    assertEquals(posts, server.limiter().postsInFlight());
  }

  HttpRequest<Buffer> fileStream(String key) {
    HttpRequest<Buffer> request = client.post(fileStreamPath("alice", PROJECT, RUN));
    request.putHeader("Content-Type", "application/json");
    if (key != null) {
      request.putHeader("Authorization", basic(key));
    }
    return request;
  }

  /** W&B's data post: history lines {@code from .. from + n - 1} of 10 floats each. */
  static JsonObject historyPost(long from, int n) {
    return new JsonObject()
        .put(
            "files",
            new JsonObject()
                .put(
                    "wandb-history.jsonl",
                    new JsonObject().put("offset", from).put("content", historyLines(from, n))));
  }

  static JsonArray historyLines(long from, int n) {
    JsonArray lines = new JsonArray();
    for (long step = from; step < from + n; step++) {
      StringBuilder line = new StringBuilder("{");
      for (int m = 0; m < 10; m++) {
        line.append("\"m").append(m).append("\": ").append(step + m * 0.5).append(", ");
      }
      line.append("\"_timestamp\": 1795731334.45, \"_runtime\": 0.1, \"_step\": ")
          .append(step)
          .append('}');
      lines.add(line.toString());
    }
    return lines;
  }

  HttpResponse<Buffer> send(HttpRequest<Buffer> request, Buffer body) {
    return await(request.sendBuffer(body));
  }

  /** The future's result, waited for on the test's thread (never an event loop), at most 30 s. */
  static <T> T await(io.vertx.core.Future<T> future) {
    try {
      return future.await(30, TimeUnit.SECONDS);
    } catch (java.util.concurrent.TimeoutException e) {
      throw new AssertionError("no answer in 30 s", e);
    }
  }

  HttpResponse<Buffer> send(HttpRequest<Buffer> request, JsonObject body) {
    return send(request, body.toBuffer());
  }

  static List<String> errorWords(HttpResponse<Buffer> response) {
    return List.of(response.bodyAsJsonObject().getString("error").split("\\s+"));
  }

  @Override
  public void close() {
    client.close();
    await(server.stop());
    store.close();
  }
}
