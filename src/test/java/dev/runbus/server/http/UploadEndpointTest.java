package dev.runbus.server.http;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.runbus.server.RunFileStorage;
import dev.runbus.server.store.BadInputException;
import dev.runbus.server.store.RunFiles;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.junit5.VertxExtension;
import java.io.UncheckedIOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Base64;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** Signed upload URLs: a PUT without a key, streamed to disk, checked, size-limited. */
@ExtendWith(VertxExtension.class)
class UploadEndpointTest {

  @TempDir Path data;
  private ServerFixture server;
  private UploadSigner signer;
  private HttpClient http;

  @BeforeEach
  void start(Vertx vertx) throws Exception {
    server = ServerFixture.start(vertx, data);
    signer = new UploadSigner(ServerSecret.loadOrCreate(data));
    http = vertx.createHttpClient();
  }

  @AfterEach
  void stop() throws Exception {
    http.close();
    server.close();
  }

  private SignedUploadUrls urls(Clock clock) {
    return new SignedUploadUrls(signer, server.server::baseUrl, Duration.ofMinutes(5), clock);
  }

  private String url(String name) {
    return urls(Clock.systemUTC()).uploadUrl(server.run, name);
  }

  private HttpResponse<Buffer> put(String url, byte[] body) {
    return ServerFixture.await(
        server.client.putAbs(url).sendBuffer(Buffer.buffer(body)));
  }

  private static byte[] bytes(int n) {
    byte[] b = new byte[n];
    new Random(n).nextBytes(b);
    return b;
  }

  private Path runDir() {
    return new RunFileStorage(data).runDirectory(server.run.id());
  }

  private long partFiles() throws Exception {
    if (!Files.isDirectory(runDir())) {
      return 0;
    }
    try (Stream<Path> files = Files.walk(runDir())) {
      return files.filter(p -> p.getFileName().toString().endsWith(".part")).count();
    } catch (UncheckedIOException e) {
      if (e.getCause() instanceof NoSuchFileException) {
        return 1; // a file went while the walk looked at it: still changing, look again
      }
      throw e;
    }
  }

  @Test
  void aSignedPutIsStoredWholeAndRecorded() throws Exception {
    String url = url("media/images/x 1.png");
    assertTrue(url.startsWith(server.server.baseUrl() + "/files/upload/"), url);
    byte[] body = bytes(100_000);
    HttpResponse<Buffer> r = put(url, body);
    assertEquals(200, r.statusCode(), r.bodyAsString());
    Path stored = new RunFileStorage(data).pathOf(server.run.id(), "media/images/x 1.png");
    assertArrayEquals(body, Files.readAllBytes(stored));
    RunFiles.FileInfo info =
        server.store.files().find(server.run.id(), "media/images/x 1.png").orElseThrow();
    assertEquals(body.length, info.sizeBytes());
    assertEquals(
        Base64.getEncoder().encodeToString(MessageDigest.getInstance("MD5").digest(body)),
        info.md5Base64());
    assertEquals(0, partFiles());

    byte[] again = bytes(10);
    assertEquals(200, put(url("media/images/x 1.png"), again).statusCode());
    assertArrayEquals(again, Files.readAllBytes(stored), "a second upload replaces the first");
  }

  @Test
  void anExpiredUrlIs403() throws Exception {
    Clock anHourAgo = Clock.fixed(Instant.now().minus(Duration.ofHours(1)), ZoneOffset.UTC);
    HttpResponse<Buffer> r = put(urls(anHourAgo).uploadUrl(server.run, "config.yaml"), bytes(10));
    assertEquals(403, r.statusCode());
    assertTrue(r.bodyAsString().contains("expired"), r.bodyAsString());
    assertFalse(Files.exists(runDir().resolve("config.yaml")));
  }

  @Test
  void aTamperedUrlIs403() throws Exception {
    String good = url("config.yaml");
    String otherName = good.replace("name=config.yaml", "name=requirements.txt");
    String otherRun =
        good.replace("/files/upload/" + server.run.id() + "?", "/files/upload/" + (server.run.id() + 1) + "?");
    String laterExpiry = good.replaceAll("expires=(\\d+)", "expires=9$1");
    int sigAt = good.indexOf("&sig=") + 5;
    char c = good.charAt(sigAt);
    String otherSig = good.substring(0, sigAt) + (c == 'A' ? 'B' : 'A') + good.substring(sigAt + 1);
    String noSig = good.substring(0, good.indexOf("&sig="));
    for (String bad : new String[] {otherName, otherRun, laterExpiry, otherSig, noSig}) {
      HttpResponse<Buffer> r = put(bad, bytes(10));
      assertEquals(403, r.statusCode(), bad);
    }
    assertFalse(Files.exists(runDir().resolve("config.yaml")));
    assertFalse(Files.exists(runDir().resolve("requirements.txt")));
  }

  @Test
  void unsafeNamesAreRefusedEvenWhenSigned() throws Exception {
    for (String name : new String[] {"../escape", "/etc/passwd", "a/../../b", "bad\u0001name", "a\\b"}) {
      assertThrows(BadInputException.class, () -> url(name), name);
      long expires = Instant.now().getEpochSecond() + 60;
      String signed =
          server.server.baseUrl()
              + "/files/upload/"
              + server.run.id()
              + "?name="
              + URLEncoder.encode(name, StandardCharsets.UTF_8)
              + "&expires="
              + expires
              + "&sig="
              + signer.sign(server.run.id(), name, expires);
      HttpResponse<Buffer> r = put(signed, bytes(10));
      assertEquals(400, r.statusCode(), name + ": " + r.bodyAsString());
    }
    assertFalse(Files.exists(data.resolve("files").resolve("escape")));
    assertFalse(Files.exists(new RunFileStorage(data).runDirectory(server.run.id()).getParent().resolve("b")));
  }

  @Test
  void aDeclaredSizeOverTheLimitIs413() throws Exception {
    HttpResponse<Buffer> r = put(url("big.bin"), bytes((int) ServerFixture.MAX_UPLOAD + 1));
    assertEquals(413, r.statusCode());
    assertFalse(Files.exists(runDir().resolve("big.bin")));
    assertEquals(0, partFiles());
  }

  @Test
  void aStreamedBodyOverTheLimitIs413AndItsPartialFileRemoved() throws Exception {
    String url = url("big.bin");
    HttpClientResponse response =
        ServerFixture.await(
            http.request(new RequestOptions().setMethod(HttpMethod.PUT).setAbsoluteURI(url))
                .compose(
                    request -> {
                      request.setChunked(true);
                      request.write(Buffer.buffer(bytes(100_000)));
                      request.write(Buffer.buffer(bytes(100_000)));
                      request.end();
                      return request.response();
                    }));
    assertEquals(413, response.statusCode());
    assertFalse(Files.exists(runDir().resolve("big.bin")));
    long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
    while (partFiles() > 0 && System.nanoTime() < deadline) {
      Thread.onSpinWait();
    }
    assertEquals(0, partFiles(), "the partial file is removed");
    assertTrue(server.store.files().find(server.run.id(), "big.bin").isEmpty());
  }

  @Test
  void otherMethodsOnAnUploadUrlNeedAKey() {
    HttpResponse<Buffer> r = ServerFixture.await(server.client.getAbs(url("config.yaml")).send());
    assertEquals(401, r.statusCode());
  }
}
