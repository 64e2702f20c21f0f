package dev.runbus.server.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.runbus.server.Viewer;
import dev.runbus.server.store.Accounts;
import dev.runbus.server.store.User;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.WorkerExecutor;
import io.vertx.core.buffer.Buffer;
import io.vertx.ext.auth.authentication.UsernamePasswordCredentials;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.junit5.VertxExtension;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** HTTP Basic {@code api:<key>} on every endpoint but the open ones, and one entity per key. */
@ExtendWith(VertxExtension.class)
class AuthTest {

  @TempDir Path data;
  private ServerFixture server;

  @BeforeEach
  void start(Vertx vertx) throws Exception {
    server = ServerFixture.start(vertx, data);
  }

  @AfterEach
  void stop() throws Exception {
    server.close();
  }

  private HttpResponse<Buffer> post(String path, String authorization) {
    var request = server.client.post(path);
    if (authorization != null) {
      request.putHeader("Authorization", authorization);
    }
    return server.send(request, ServerFixture.historyPost(0, 1));
  }

  @Test
  void aMissingOrWrongKeyIs401AndRevealsNothing() {
    String path = ServerFixture.fileStreamPath("alice", ServerFixture.PROJECT, ServerFixture.RUN);
    for (String authorization :
        new String[] {
          null,
          ServerFixture.basic("not-a-key"),
          ServerFixture.basic(""),
          "Basic " + java.util.Base64.getEncoder().encodeToString(("alice:" + server.alice.key()).getBytes()),
          "Bearer " + server.alice.key()
        }) {
      HttpResponse<Buffer> r = post(path, authorization);
      assertEquals(401, r.statusCode(), "with " + authorization);
      assertEquals("Basic realm=\"runbus\"", r.getHeader("WWW-Authenticate"));
      String body = r.bodyAsString();
      assertFalse(body.contains("alice") || body.contains(ServerFixture.RUN), body);
    }
    assertEquals(0, server.stored().historyLineCount());
  }

  @Test
  void everyEndpointNeedsAKey() {
    for (String path : List.of("/graphql", "/api/v1/entities", "/files/x/y/z/file_stream", "/nowhere")) {
      assertEquals(401, post(path, null).statusCode(), path);
    }
    assertEquals(404, post("/nowhere", ServerFixture.basic(server.alice.key())).statusCode());
  }

  @Test
  void healthAndWandbTelemetryNeedNoKey() {
    HttpResponse<Buffer> health =
        ServerFixture.await(server.client.get("/healthz").send());
    assertEquals(200, health.statusCode());
    HttpResponse<Buffer> otel =
        ServerFixture.await(server.client.post("/sdk/otel/v1/metrics").send());
    assertEquals(404, otel.statusCode());
  }

  @Test
  void aUserCannotPostToAnotherUsersRun() {
    String alices = ServerFixture.fileStreamPath("alice", ServerFixture.PROJECT, ServerFixture.RUN);
    HttpResponse<Buffer> asBob = post(alices, ServerFixture.basic(server.bob.key()));
    assertEquals(404, asBob.statusCode());
    HttpResponse<Buffer> missing =
        post(ServerFixture.fileStreamPath("alice", ServerFixture.PROJECT, "zzzzzzzz"),
            ServerFixture.basic(server.bob.key()));
    assertEquals(404, missing.statusCode(), "another's run looks like no run");
    assertEquals(0, server.stored().historyLineCount());
    assertEquals(200, post(alices, ServerFixture.basic(server.alice.key())).statusCode());
  }

  @Test
  void keyLookupsRunOnAWorkerAndAreCached(Vertx vertx) throws Exception {
    List<Boolean> onWorker = new CopyOnWriteArrayList<>();
    Accounts real = server.store.accounts();
    Accounts recording =
        new Accounts() {
          @Override
          public Optional<User> userForKey(String key) {
            onWorker.add(Context.isOnWorkerThread());
            return real.userForKey(key);
          }

          @Override
          public Optional<User> userForKeySha256(String sha256Hex) {
            onWorker.add(Context.isOnWorkerThread());
            return real.userForKeySha256(sha256Hex);
          }

          @Override
          public IssuedKey createKey(String userName) {
            return real.createKey(userName);
          }

          @Override
          public List<KeyInfo> listKeys() {
            return real.listKeys();
          }

          @Override
          public boolean revokeKey(long keyId) {
            return real.revokeKey(keyId);
          }

          @Override
          public boolean noKeys() {
            return real.noKeys();
          }
        };
    WorkerExecutor db = vertx.createSharedWorkerExecutor("auth-test-db", 2);
    try {
      ApiKeyAuthProvider provider = new ApiKeyAuthProvider(recording, db);
      UsernamePasswordCredentials credentials =
          new UsernamePasswordCredentials("api", server.alice.key());
      for (int i = 0; i < 3; i++) {
        Promise<io.vertx.ext.auth.User> answer = Promise.promise();
        vertx.runOnContext(v -> provider.authenticate(credentials).onComplete(answer));
        io.vertx.ext.auth.User user = answer.future().await(10, TimeUnit.SECONDS);
        assertEquals("alice", user.principal().getString("username"));
      }
      assertEquals(List.of(true), onWorker, "one lookup, on a worker; the cache answered the rest");
      Promise<io.vertx.ext.auth.User> wrong = Promise.promise();
      vertx.runOnContext(
          v -> provider.authenticate(new UsernamePasswordCredentials("api", "wrong")).onComplete(wrong));
      Future<io.vertx.ext.auth.User> refused = wrong.future();
      assertTrue(
          refused.transform(r -> Future.succeededFuture(r.failed())).await(10, TimeUnit.SECONDS),
          "a wrong key is refused");
    } finally {
      db.close();
    }
  }

  @Test
  void aDatabaseThatFailsIsA503NotA401() {
    server.store.close();
    HttpResponse<Buffer> r =
        post(
            ServerFixture.fileStreamPath("alice", ServerFixture.PROJECT, ServerFixture.RUN),
            ServerFixture.basic(server.alice.key()));
    assertEquals(503, r.statusCode(), r.bodyAsString());
    assertFalse(r.bodyAsString().toLowerCase().contains("sql"), r.bodyAsString());
  }

  @Test
  void theAuthenticatedViewerIsTheKeysUser() {
    assertEquals(
        "alice",
        Viewer.principal(server.alice.user()).principal().getString("username"));
  }
}
