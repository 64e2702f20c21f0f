package dev.runbus.server.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.MultiMap;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.ext.web.client.HttpRequest;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.junit5.VertxExtension;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * The web UI's sign-in over real HTTP on loopback (no browser): pages need a session, the read API
 * takes a session or a key, W&B's endpoints a key only, and a session's changes need the UI header.
 */
@ExtendWith(VertxExtension.class)
class UiAuthTest {

  private static final String RUNS = "/api/v1/entities/alice/projects/mnist/runs";
  private static final String STOP = RUNS + "/" + ServerFixture.RUN + "/stop";

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

  private HttpResponse<Buffer> get(String path, String cookie, boolean uiFetch) {
    HttpRequest<Buffer> request = server.client.get(path).followRedirects(false);
    if (cookie != null) {
      request.putHeader("Cookie", cookie);
    }
    if (uiFetch) {
      request.putHeader("X-Runbus-UI", "1");
    }
    return ServerFixture.await(request.send());
  }

  private HttpResponse<Buffer> post(String path, String cookie, boolean uiFetch) {
    HttpRequest<Buffer> request = server.client.post(path).followRedirects(false);
    if (cookie != null) {
      request.putHeader("Cookie", cookie);
    }
    if (uiFetch) {
      request.putHeader("X-Runbus-UI", "1");
    }
    return ServerFixture.await(request.send());
  }

  private HttpResponse<Buffer> signIn(String key, String next, String cookie) {
    MultiMap form = MultiMap.caseInsensitiveMultiMap().add("key", key);
    if (next != null) {
      form.add("next", next);
    }
    HttpRequest<Buffer> request = server.client.post("/login").followRedirects(false);
    if (cookie != null) {
      request.putHeader("Cookie", cookie);
    }
    return ServerFixture.await(request.sendForm(form));
  }

  /** Signs alice in; the {@code Cookie} header value of her session. */
  private String session() {
    HttpResponse<Buffer> r = signIn(server.alice.key(), "/", null);
    assertEquals(303, r.statusCode());
    return sessionCookie(r);
  }

  private static String sessionCookie(HttpResponse<Buffer> r) {
    for (String set : r.cookies()) {
      if (set.startsWith("runbus_session=") && !set.startsWith("runbus_session=;")) {
        return set.substring(0, set.indexOf(';'));
      }
    }
    return null;
  }

  @Test
  void aPageWithoutASessionGoesToTheLoginPageAndBack() {
    for (String page :
        List.of("/", "/alice", "/alice/mnist?sort=name&order=asc", "/alice/mnist/runs/" + ServerFixture.RUN,
            "/alice/mnist/compare?runs=a,b")) {
      HttpResponse<Buffer> r = get(page, null, false);
      assertEquals(303, r.statusCode(), page);
      assertEquals(
          "/login?next=" + java.net.URLEncoder.encode(page, java.nio.charset.StandardCharsets.UTF_8),
          r.getHeader("Location"));
      assertTrue(r.body() == null || r.body().length() == 0, "no page before sign-in");
    }
  }

  @Test
  void theApiWithoutASessionOrKeyIs401AndNamesNothing() {
    HttpResponse<Buffer> plain = get(RUNS, null, false);
    assertEquals(401, plain.statusCode());
    assertEquals("Basic realm=\"runbus\"", plain.getHeader("WWW-Authenticate"));
    HttpResponse<Buffer> fromUi = get(RUNS, null, true);
    assertEquals(401, fromUi.statusCode());
    assertNull(fromUi.getHeader("WWW-Authenticate"), "no Basic dialog for the UI's fetch");
    HttpResponse<Buffer> forged = get(RUNS, "runbus_session=0123456789abcdef0123456789abcdef", true);
    assertEquals(401, forged.statusCode());
    for (HttpResponse<Buffer> r : List.of(plain, fromUi, forged)) {
      assertFalse(r.bodyAsString().contains(ServerFixture.RUN), r.bodyAsString());
      assertFalse(r.bodyAsString().contains("mnist"), r.bodyAsString());
    }
  }

  @Test
  void signingInOpensASessionThePagesAndTheApiAccept() {
    HttpResponse<Buffer> r = signIn(server.alice.key(), "/alice/mnist?state=running", null);
    assertEquals(303, r.statusCode());
    assertEquals("/alice/mnist?state=running", r.getHeader("Location"));
    String set = r.cookies().stream().filter(c -> c.startsWith("runbus_session=")).findFirst().orElseThrow();
    assertTrue(set.contains("HTTPOnly") || set.contains("HttpOnly"), set);
    assertTrue(set.contains("SameSite=Strict"), set);
    String cookie = sessionCookie(r);

    HttpResponse<Buffer> runs = get(RUNS, cookie, true);
    assertEquals(200, runs.statusCode(), runs.bodyAsString());
    assertTrue(runs.bodyAsString().contains(ServerFixture.RUN));
    HttpResponse<Buffer> page = get("/alice/mnist/runs/" + ServerFixture.RUN, cookie, false);
    assertEquals(200, page.statusCode());
    assertTrue(page.getHeader("Content-Type").startsWith("text/html"));
    assertEquals("no-cache", page.getHeader("Cache-Control"));
    assertTrue(page.bodyAsString().contains("/ui/app.js"));
    // the live bridge takes the session too (SockJS's info request opens every connection)
    assertEquals(200, get("/ui/bus/info", cookie, false).statusCode());
    assertEquals(401, get("/ui/bus/info", null, true).statusCode());
    // the session is alice's: bob's entity stays out of reach
    assertEquals(404, get("/api/v1/entities/bob/projects", cookie, true).statusCode());
  }

  @Test
  void aWrongKeyGoesBackToTheLoginPageWhichSaysSo() {
    HttpResponse<Buffer> r = signIn("not-a-key", "/alice/mnist", null);
    assertEquals(303, r.statusCode());
    assertEquals("/login?error=1&next=%2Falice%2Fmnist", r.getHeader("Location"));
    assertNull(sessionCookie(r));
    HttpResponse<Buffer> page = get(r.getHeader("Location"), null, false);
    assertEquals(200, page.statusCode());
    assertTrue(page.bodyAsString().contains("id=\"login-error\""));
    assertTrue(page.bodyAsString().contains("That API key is not valid."));
    assertTrue(page.bodyAsString().contains("value=\"/alice/mnist\""));
    assertFalse(get("/login", null, false).bodyAsString().contains("login-error"));
  }

  @Test
  void signInSendsTheBrowserOnlyToThisSite() {
    for (String next :
        List.of("//evil.example", "//evil.example/alice", "https://evil.example/", "/\\evil.example",
            "evil.example", "")) {
      HttpResponse<Buffer> r = signIn(server.alice.key(), next, null);
      assertEquals(303, r.statusCode(), next);
      assertEquals("/", r.getHeader("Location"), next);
    }
    assertEquals("/", signIn(server.alice.key(), null, null).getHeader("Location"));
    HttpResponse<Buffer> page = get("/login?next=%2F%2Fevil.example", null, false);
    assertTrue(page.bodyAsString().contains("name=\"next\" value=\"/\""), page.bodyAsString());
    HttpResponse<Buffer> wrong = signIn("not-a-key", "//evil.example", null);
    assertEquals("/login?error=1&next=%2F", wrong.getHeader("Location"));
  }

  @Test
  void aSignInPostedFromAnotherSiteIsRefused() {
    MultiMap form = MultiMap.caseInsensitiveMultiMap().add("key", server.alice.key()).add("next", "/");
    HttpResponse<Buffer> forged =
        ServerFixture.await(
            server.client.post("/login").followRedirects(false)
                .putHeader("Origin", "http://evil.example").sendForm(form));
    assertEquals(403, forged.statusCode());
    assertNull(sessionCookie(forged));
    String here = "http://127.0.0.1:" + server.server.port();
    HttpResponse<Buffer> own =
        ServerFixture.await(
            server.client.post("/login").followRedirects(false).putHeader("Origin", here).sendForm(form));
    assertEquals(303, own.statusCode());
    assertNotNull(sessionCookie(own));
  }

  @Test
  void aChangeWithASessionNeedsTheUiHeader() {
    String cookie = session();
    HttpResponse<Buffer> forged = post(STOP, cookie, false);
    assertEquals(403, forged.statusCode(), forged.bodyAsString());
    assertFalse(server.stored().stopRequested(), "a cross-site form stops nothing");
    HttpResponse<Buffer> fromUi = post(STOP, cookie, true);
    assertEquals(200, fromUi.statusCode(), fromUi.bodyAsString());
    assertTrue(server.stored().stopRequested());
  }

  @Test
  void signingOutEndsTheSession() {
    String cookie = session();
    assertEquals(200, get(RUNS, cookie, true).statusCode());
    assertEquals(403, post("/logout", cookie, false).statusCode(), "the UI header is needed");
    assertEquals(200, get(RUNS, cookie, true).statusCode(), "still signed in");
    HttpResponse<Buffer> out = post("/logout", cookie, true);
    assertEquals(303, out.statusCode());
    assertEquals("/login", out.getHeader("Location"));
    assertTrue(out.cookies().stream().anyMatch(c -> c.startsWith("runbus_session=;") && c.contains("Max-Age=0")));
    assertEquals(401, get(RUNS, cookie, true).statusCode());
    assertEquals(303, get("/alice/mnist", cookie, false).statusCode());
  }

  @Test
  void signingInAgainGivesANewSessionAndEndsTheOldOne() {
    String first = session();
    HttpResponse<Buffer> again = signIn(server.alice.key(), "/", first);
    String second = sessionCookie(again);
    assertNotNull(second);
    assertNotEquals(first, second);
    assertEquals(401, get(RUNS, first, true).statusCode());
    assertEquals(200, get(RUNS, second, true).statusCode());
  }

  @Test
  void aRevokedKeyEndsItsSessions() throws Exception {
    String cookie = session();
    assertEquals(200, get(RUNS, cookie, true).statusCode());
    assertTrue(server.store.accounts().revokeKey(server.alice.id()));
    // the key cache answers for at most its TTL (10 s); then the session is over for good
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    int status = 200;
    while (status == 200 && System.nanoTime() < deadline) {
      Thread.sleep(250);
      status = get(RUNS, cookie, true).statusCode();
    }
    assertEquals(401, status);
    assertEquals(303, get("/alice/mnist", cookie, false).statusCode());
  }

  @Test
  void wandbEndpointsTakeAKeyButNoSession() {
    String cookie = session();
    HttpResponse<Buffer> fileStream =
        server.send(
            server.fileStream(null).putHeader("Cookie", cookie).putHeader("X-Runbus-UI", "1"),
            ServerFixture.historyPost(0, 1));
    assertEquals(401, fileStream.statusCode());
    HttpResponse<Buffer> graphql =
        ServerFixture.await(
            server.client.post("/graphql").putHeader("Cookie", cookie).putHeader("X-Runbus-UI", "1")
                .sendJsonObject(new io.vertx.core.json.JsonObject().put("query", "{ viewer { entity } }")));
    assertEquals(401, graphql.statusCode());
    assertEquals(0, server.stored().historyLineCount());
    // and with the key, exactly as before
    assertEquals(
        200,
        server.send(server.fileStream(server.alice.key()), ServerFixture.historyPost(0, 1)).statusCode());
    HttpResponse<Buffer> viewer =
        ServerFixture.await(
            server.client.post("/graphql").putHeader("Authorization", ServerFixture.basic(server.alice.key()))
                .sendJsonObject(new io.vertx.core.json.JsonObject().put("query", "{ viewer { entity } }")));
    assertEquals(200, viewer.statusCode());
    assertTrue(viewer.bodyAsString().contains("alice"), viewer.bodyAsString());
  }

  @Test
  void theUiFilesAreOpenAndCached() {
    HttpResponse<Buffer> app = get("/ui/app.js", null, false);
    assertEquals(200, app.statusCode());
    assertTrue(app.getHeader("Content-Type").startsWith("text/javascript"));
    assertEquals("no-cache", app.getHeader("Cache-Control"));
    HttpResponse<Buffer> again =
        ServerFixture.await(
            server.client.get("/ui/app.js").putHeader("If-None-Match", app.getHeader("ETag")).send());
    assertEquals(304, again.statusCode());
    for (String vendor :
        List.of("/ui/vendor/uplot/uPlot.iife.min.js", "/ui/vendor/uplot/uPlot.min.css",
            "/ui/vendor/sockjs/sockjs.min.js")) {
      HttpResponse<Buffer> r = get(vendor, null, false);
      assertEquals(200, r.statusCode(), vendor);
      assertTrue(r.getHeader("Cache-Control").contains("max-age="), vendor);
      assertTrue(r.body().length() > 1000, vendor);
    }
    assertEquals(200, get("/ui/style.css", null, false).statusCode());
    assertEquals(404, get("/ui/nothing-here.js", null, false).statusCode());
    assertEquals(404, get("/ui/vendor/uplot/other.js", null, false).statusCode());
    HttpResponse<Buffer> login = get("/login", null, false);
    assertEquals(200, login.statusCode());
    assertTrue(login.bodyAsString().contains("id=\"login\""));
    assertNotNull(login.getHeader("Content-Security-Policy"));
  }
}
