package dev.runbus.testing;

import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.function.Consumer;
import java.util.stream.Stream;

/**
 * The server's read API for one run ({@code /api/v1/entities/{e}/projects/{p}/runs/{r}…}), with
 * blocking calls for test threads: the run, its files, a file's bytes, and its history streamed line
 * by line, so a million rows are checked without holding them.
 */
public final class ReadApiClient {
  private static final Duration TIMEOUT = Duration.ofSeconds(120);

  private final HttpClient http =
      HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(TIMEOUT).build();
  private final String runPath;
  private final String authorization;

  public ReadApiClient(String baseUrl, String apiKey, String entity, String project, String run) {
    this.runPath =
        baseUrl + "/api/v1/entities/" + entity + "/projects/" + project + "/runs/" + run;
    this.authorization =
        "Basic "
            + Base64.getEncoder().encodeToString(("api:" + apiKey).getBytes(StandardCharsets.UTF_8));
  }

  /** The run, or null while the server has none of that name. */
  public JsonObject run() {
    HttpResponse<String> answer = get("", HttpResponse.BodyHandlers.ofString());
    if (answer.statusCode() == 404) {
      return null;
    }
    return new JsonObject(ok(answer).body());
  }

  /** History lines stored so far (0 while the run does not exist). */
  public long historyLineCount() {
    JsonObject run = run();
    return run == null ? 0 : run.getLong("historyLineCount", 0L);
  }

  /** The run's {@code wandb-events.jsonl} lines, parsed: {@code {"lines":[{"line":0,"values":{…}}…]}}. */
  public JsonObject events() {
    return new JsonObject(
        ok(get("/events?from=0&limit=10000", HttpResponse.BodyHandlers.ofString())).body());
  }

  /** A file's bytes as text, or null when the run has no such file. */
  public String file(String name) {
    HttpResponse<String> answer =
        get(
            "/file?name=" + URLEncoder.encode(name, StandardCharsets.UTF_8),
            HttpResponse.BodyHandlers.ofString());
    return answer.statusCode() == 404 ? null : ok(answer).body();
  }

  /** Every history line in line order ({@code keys}: the columns, or null for all), one by one. */
  public void history(String keys, Consumer<JsonObject> each) {
    String query = keys == null ? "" : "?keys=" + URLEncoder.encode(keys, StandardCharsets.UTF_8);
    HttpResponse<Stream<String>> answer = get("/history" + query, HttpResponse.BodyHandlers.ofLines());
    if (answer.statusCode() != 200) {
      String body = String.join("\n", answer.body().toList());
      throw new AssertionError("history answered " + answer.statusCode() + ": " + body);
    }
    try (Stream<String> lines = answer.body()) {
      lines.filter(l -> !l.isBlank()).forEach(l -> each.accept(new JsonObject(l)));
    }
  }

  /** Waits (at most {@code timeout}) until the server holds at least {@code rows} history lines. */
  public long awaitHistory(long rows, Duration timeout) throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    long stored = historyLineCount();
    while (stored < rows && System.nanoTime() < deadline) {
      Thread.sleep(100);
      stored = historyLineCount();
    }
    if (stored < rows) {
      throw new AssertionError(
          "the server holds " + stored + " history lines, not " + rows + ", after " + timeout);
    }
    return stored;
  }

  private <T> HttpResponse<T> get(String path, HttpResponse.BodyHandler<T> body) {
    HttpRequest request =
        HttpRequest.newBuilder(URI.create(runPath + path))
            .header("Authorization", authorization)
            .timeout(TIMEOUT)
            .GET()
            .build();
    try {
      return http.send(request, body);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  private static HttpResponse<String> ok(HttpResponse<String> answer) {
    if (answer.statusCode() != 200) {
      throw new AssertionError(answer.request().uri() + " answered " + answer.statusCode() + ": " + answer.body());
    }
    return answer;
  }
}
