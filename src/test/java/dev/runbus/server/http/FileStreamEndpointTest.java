package dev.runbus.server.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.Vertx;
import dev.runbus.testing.Gzip;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.junit5.VertxExtension;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** FileStream over real HTTP into a real SQLite store: W&B's request shapes and answers. */
@ExtendWith(VertxExtension.class)
class FileStreamEndpointTest {

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

  private String key() {
    return server.alice.key();
  }

  @Test
  void aDataPostIsStoredAndAnsweredInWandbShape() {
    HttpResponse<Buffer> r = server.send(server.fileStream(key()), ServerFixture.historyPost(0, 10));
    assertEquals(200, r.statusCode(), r.bodyAsString());
    JsonObject answer = r.bodyAsJsonObject();
    assertTrue(answer.containsKey("exitcode"));
    assertNull(answer.getValue("exitcode"));
    assertEquals(30, answer.getJsonObject("limits").getInteger("heartbeat_seconds"));
    assertFalse(answer.containsKey("stopped"));
    assertEquals(10, server.stored().historyLineCount());
  }

  @Test
  void aResentBatchIsStoredOnce() {
    assertEquals(200, server.send(server.fileStream(key()), ServerFixture.historyPost(0, 10)).statusCode());
    assertEquals(200, server.send(server.fileStream(key()), ServerFixture.historyPost(0, 10)).statusCode());
    assertEquals(200, server.send(server.fileStream(key()), ServerFixture.historyPost(5, 10)).statusCode());
    assertEquals(15, server.stored().historyLineCount());
  }

  @Test
  void aGapIsRefusedWithTheOffsetToResendFrom() {
    server.send(server.fileStream(key()), ServerFixture.historyPost(0, 10));
    HttpResponse<Buffer> r = server.send(server.fileStream(key()), ServerFixture.historyPost(20, 5));
    assertEquals(409, r.statusCode(), r.bodyAsString());
    assertEquals(
        10, r.bodyAsJsonObject().getJsonObject("expected").getLong("wandb-history.jsonl"));
    assertEquals(10, server.stored().historyLineCount());
  }

  @Test
  void theFinalPostEndsTheRun() {
    server.send(server.fileStream(key()), ServerFixture.historyPost(0, 3));
    HttpResponse<Buffer> r =
        server.send(
            server.fileStream(key()),
            new JsonObject()
                .put("complete", true)
                .put("exitcode", 0)
                .put("dropped", 0)
                .put("uploaded", new io.vertx.core.json.JsonArray().add("config.yaml")));
    assertEquals(200, r.statusCode(), r.bodyAsString());
    assertEquals("finished", server.stored().state());
    assertEquals(0, server.stored().exitCode());
  }

  @Test
  void aRunAskedToStopIsToldSo() {
    server.store.runs().requestStop(server.aliceUser(), server.runKey());
    HttpResponse<Buffer> r = server.send(server.fileStream(key()), new JsonObject());
    assertEquals(200, r.statusCode());
    assertEquals(Boolean.TRUE, r.bodyAsJsonObject().getBoolean("stopped"));
  }

  @Test
  void aGzipBodyIsAccepted() throws Exception {
    byte[] zipped = Gzip.of(ServerFixture.historyPost(0, 50).toBuffer().getBytes());
    HttpResponse<Buffer> r =
        server.send(
            server.fileStream(key()).putHeader("Content-Encoding", "gzip"), Buffer.buffer(zipped));
    assertEquals(200, r.statusCode(), r.bodyAsString());
    assertEquals(50, server.stored().historyLineCount());
  }

  @Test
  void truncatedJsonIsA400NamingTheProblem() {
    String whole = ServerFixture.historyPost(0, 3).encode();
    HttpResponse<Buffer> r =
        server.send(server.fileStream(key()), Buffer.buffer(whole.substring(0, whole.length() - 7)));
    assertEquals(400, r.statusCode());
    assertTrue(r.bodyAsJsonObject().getString("error").contains("not valid JSON"), r.bodyAsString());
    assertEquals(0, server.stored().historyLineCount());
  }

  @Test
  void wrongTypesAreA400NamingTheField() {
    JsonObject post = ServerFixture.historyPost(0, 3);
    post.getJsonObject("files").getJsonObject("wandb-history.jsonl").put("offset", "zero");
    HttpResponse<Buffer> r = server.send(server.fileStream(key()), post);
    assertEquals(400, r.statusCode());
    assertTrue(
        r.bodyAsJsonObject().getString("error").contains("files[\"wandb-history.jsonl\"].offset"),
        r.bodyAsString());
    HttpResponse<Buffer> lines =
        server.send(
            server.fileStream(key()),
            new JsonObject()
                .put(
                    "files",
                    new JsonObject()
                        .put(
                            "output.log",
                            new JsonObject()
                                .put("offset", 0)
                                .put("content", new io.vertx.core.json.JsonArray().add(1)))));
    assertEquals(400, lines.statusCode());
    assertTrue(lines.bodyAsString().contains("content[0]"), lines.bodyAsString());
  }

  @Test
  void aBodyOverTheLimitIsA413() {
    HttpResponse<Buffer> r =
        server.send(server.fileStream(key()), ServerFixture.historyPost(0, 2000));
    assertEquals(413, r.statusCode());
    assertTrue(r.bodyAsJsonObject().getString("error").contains(Long.toString(ServerFixture.MAX_BODY)));
    assertEquals(0, server.stored().historyLineCount());
    // the server is still there for the next, smaller post
    assertEquals(200, server.send(server.fileStream(key()), ServerFixture.historyPost(0, 2)).statusCode());
  }

  @Test
  void aGzipBodyThatInflatesOverTheLimitIsA413() throws Exception {
    // compresses to a few hundred bytes
    byte[] zipped = Gzip.of(new byte[(int) ServerFixture.MAX_BODY * 4]);
    HttpResponse<Buffer> r =
        server.send(
            server.fileStream(key()).putHeader("Content-Encoding", "gzip"), Buffer.buffer(zipped));
    assertEquals(413, r.statusCode());
  }

  @Test
  void aRunThatDoesNotExistIsA404() {
    HttpResponse<Buffer> r =
        server.send(
            server.client
                .post(ServerFixture.fileStreamPath("alice", "mnist", "nosuchrun"))
                .putHeader("Authorization", ServerFixture.basic(key())),
            ServerFixture.historyPost(0, 1));
    assertEquals(404, r.statusCode());
    assertNotNull(r.bodyAsJsonObject().getString("error"));
  }

  @Test
  void namesWithSqlMetacharactersAreJustNames() {
    HttpResponse<Buffer> r =
        server.send(
            server.client
                .post(ServerFixture.fileStreamPath("alice", "x'%3B%20DROP%20TABLE%20runs%3B--", "r"))
                .putHeader("Authorization", ServerFixture.basic(key())),
            ServerFixture.historyPost(0, 1));
    assertEquals(404, r.statusCode());
    assertEquals(200, server.send(server.fileStream(key()), ServerFixture.historyPost(0, 1)).statusCode());
  }
}
