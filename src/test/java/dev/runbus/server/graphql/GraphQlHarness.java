package dev.runbus.server.graphql;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.runbus.server.RunFileStorage;
import dev.runbus.server.ServerConfig;
import dev.runbus.server.UploadUrls;
import dev.runbus.server.Viewer;
import dev.runbus.server.store.ServerStore;
import dev.runbus.server.store.ServerStores;
import dev.runbus.server.store.User;
import dev.runbus.testing.Gzip;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.WorkerExecutor;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import io.vertx.ext.web.handler.BodyHandler;
import io.vertx.ext.web.handler.HttpException;
import io.vertx.ext.web.handler.SimpleAuthenticationHandler;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * The GraphQL endpoint on a real HTTP server on loopback, mounted as the server mounts it (a body
 * handler, then authentication, then the endpoint), with a test authenticator that takes the
 * user's name from a header, and upload URLs signed by a stand-in for the upload endpoint.
 */
final class GraphQlHarness implements AutoCloseable {
  static final String USER_HEADER = "X-Test-User";

  final Vertx vertx = Vertx.vertx();
  final GuardedStore guard = new GuardedStore();
  final ServerStore rawStore;
  final ServerStore store;
  final Map<String, User> users = new ConcurrentHashMap<>();
  private final WorkerExecutor db;
  private final HttpServer server;
  private final WebClient client;
  final String baseUrl;

  GraphQlHarness(Path dataDirectory) {
    rawStore = openStore(dataDirectory);
    store = guard.wrap(rawStore);
    db = vertx.createSharedWorkerExecutor("runbus-db", 4);
    String[] base = new String[1];
    UploadUrls uploads =
        (run, fileName) -> {
          RunFileStorage.checkName(fileName);
          return base[0] + "/upload/" + run.id() + "/" + fileName + "?expires=1&signature=test";
        };
    Router router = Router.router(vertx);
    router.post("/graphql").handler(BodyHandler.create().setBodyLimit(1 << 20));
    router
        .post("/graphql")
        .handler(
            SimpleAuthenticationHandler.create()
                .authenticate(
                    rc -> {
                      User user = users.get(String.valueOf(rc.request().getHeader(USER_HEADER)));
                      return user == null
                          ? Future.failedFuture(new HttpException(401))
                          : Future.succeededFuture(Viewer.principal(user));
                    }));
    router.post("/graphql").handler(GraphQlEndpoint.create(vertx, store, db, uploads));
    server =
        await(
            vertx
            .createHttpServer(new HttpServerOptions().setDecompressionSupported(true))
            .requestHandler(router)
            .listen(0, "127.0.0.1"));
    baseUrl = "http://127.0.0.1:" + server.actualPort();
    base[0] = baseUrl;
    client = WebClient.create(vertx);
  }

  /** The real store: SQLite in the test's data directory. */
  private static ServerStore openStore(Path dataDirectory) {
    return ServerStores.open(ServerConfig.defaults(dataDirectory));
  }

  User user(String name) {
    return users.computeIfAbsent(name, n -> rawStore.accounts().createKey(n).user());
  }

  /** Posts a JSON body as W&B's clients do and returns the answer, which must be a 200. */
  JsonObject post(String user, JsonObject body) {
    HttpResponse<Buffer> response = postRaw(user, body.toBuffer(), false);
    assertEquals(200, response.statusCode(), response.bodyAsString());
    return response.bodyAsJsonObject();
  }

  HttpResponse<Buffer> postRaw(String user, Buffer body, boolean gzip) {
    var request =
        client
            .post(server.actualPort(), "127.0.0.1", "/graphql")
            .putHeader("Content-Type", "application/json")
            .putHeader(USER_HEADER, user);
    Buffer sent = body;
    if (gzip) {
      request.putHeader("Content-Encoding", "gzip");
      sent = Buffer.buffer(Gzip.of(body.getBytes()));
    }
    return await(request.sendBuffer(sent));
  }

  /** Every wait in these tests is bounded. */
  static <T> T await(Future<T> future) {
    try {
      return future.await(20, TimeUnit.SECONDS);
    } catch (TimeoutException e) {
      throw new AssertionError("no answer within 20 s", e);
    }
  }

  /** A document of W&B's shape from the test resources. */
  static String doc(String name) {
    try (InputStream in =
        GraphQlHarness.class.getClassLoader().getResourceAsStream("wandb-graphql/" + name)) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @Override
  public void close() {
    client.close();
    await(vertx.close());
    rawStore.close();
  }
}
