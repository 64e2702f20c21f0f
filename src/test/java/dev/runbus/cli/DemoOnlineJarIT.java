package dev.runbus.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.runbus.testing.ChildProcess;
import dev.runbus.testing.PackagedJar;
import dev.runbus.testing.ReadApiClient;
import dev.runbus.testing.ServerProcess;
import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpRequest.BodyPublishers;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodyHandlers;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code demo --online} with nothing configured, as a new user first runs it: it starts a server of
 * its own, logs the run to it, says where the run lives, and leaves the server's data behind, where
 * a server started on it finds the whole run.
 */
class DemoOnlineJarIT {

  private static final Pattern READ_API =
      Pattern.compile("read API: (http://127\\.0\\.0\\.1:\\d+)/api/v1/entities/([^/]+)/projects/([^/]+)/runs/(\\S+)");
  private static final Pattern DATA = Pattern.compile("its data stays in (\\S+)\\. ");
  private static final Pattern KEY = Pattern.compile("WANDB_API_KEY=([A-Za-z0-9]+)");
  private static final Pattern PAGE =
      Pattern.compile("the run's page: http://127\\.0\\.0\\.1:\\d+(/[^/\\s]+/[^/\\s]+/runs/\\S+)");

  @TempDir Path dir;

  @Test
  void theOnlineDemoNeedsNoSetUpAndItsRunIsOnTheServerRowByRow() throws Exception {
    RunbusJar.Result demo = RunbusJar.in(dir).run("demo", "--online", "--steps", "50", "--dir", "out");
    assertEquals(0, demo.code(), demo.toString());
    String out = demo.stdout();
    assertTrue(demo.stderr().contains("online run "), demo.toString());
    assertTrue(demo.stderr().contains("View run "), demo.toString());
    Matcher api = READ_API.matcher(out);
    Matcher data = DATA.matcher(out);
    Matcher key = KEY.matcher(out);
    Matcher page = PAGE.matcher(out);
    assertTrue(api.find() && data.find() && key.find() && page.find(), out);
    assertEquals("/" + api.group(2) + "/" + api.group(3) + "/runs/" + api.group(4), page.group(1));

    try (ServerProcess server = ServerProcess.start(Path.of(data.group(1)), null)) {
      ReadApiClient read =
          new ReadApiClient(server.url(), key.group(1), api.group(2), api.group(3), api.group(4));
      JsonObject run = read.run();
      assertEquals("finished", run.getString("state"), run.encode());
      assertEquals(50, read.historyLineCount(), run.encode());
      long[] step = {0};
      read.history(
          "_step",
          row -> assertEquals(step[0]++, row.getLong("_step").longValue(), row.encode()));
      assertEquals(50, step[0]);
      assertTrue(read.file("config.yaml").contains("logistic-regression"));
      assertTheRunsPageNeedsASignIn(server.url(), page.group(1), key.group(1));
    }
  }

  @Test
  void withServeTheDemosServerKeepsShowingTheRunsPage() throws Exception {
    List<String> command =
        PackagedJar.command(List.of(), List.of("demo", "--online", "--serve", "--steps", "20"));
    try (ChildProcess demo = ChildProcess.in(dir, command, Map.of())) {
      String pageUrl = demo.await("runbus: the run's page: ", Duration.ofSeconds(90));
      String key = demo.await("runbus: serving the run's page until Ctrl-C; sign in with the key ",
          Duration.ofSeconds(30));
      URI page = URI.create(pageUrl);
      // the run has ended and its summary is printed: the demo's server still answers its page
      assertTheRunsPageNeedsASignIn(
          page.getScheme() + "://" + page.getAuthority(), page.getPath(), key.trim());
    }
  }

  /** The page path answers the login page without a session and the web UI with one. */
  private static void assertTheRunsPageNeedsASignIn(String url, String path, String key)
      throws Exception {
    HttpClient http = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER).build();
    HttpResponse<String> anonymous =
        http.send(HttpRequest.newBuilder(URI.create(url + path)).build(), BodyHandlers.ofString());
    assertEquals(303, anonymous.statusCode());
    assertEquals(
        "/login?next=" + URLEncoder.encode(path, StandardCharsets.UTF_8),
        anonymous.headers().firstValue("Location").orElse(""));
    HttpResponse<String> signIn =
        http.send(
            HttpRequest.newBuilder(URI.create(url + "/login"))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(
                    BodyPublishers.ofString(
                        "key=" + key + "&next=" + URLEncoder.encode(path, StandardCharsets.UTF_8)))
                .build(),
            BodyHandlers.ofString());
    assertEquals(303, signIn.statusCode());
    assertEquals(path, signIn.headers().firstValue("Location").orElse(""));
    String cookie = signIn.headers().firstValue("Set-Cookie").orElseThrow().split(";")[0];
    HttpResponse<String> shown =
        http.send(
            HttpRequest.newBuilder(URI.create(url + path)).header("Cookie", cookie).build(),
            BodyHandlers.ofString());
    assertEquals(200, shown.statusCode());
    assertTrue(shown.body().contains("/ui/app.js"), shown.body());
  }
}
