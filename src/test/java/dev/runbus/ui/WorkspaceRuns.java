package dev.runbus.ui;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.runbus.Run;
import dev.runbus.Runbus;
import dev.runbus.Settings;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.zip.GZIPInputStream;

/**
 * The runs the workspace tests look at, put on a server the two ways runs reach it: through
 * runbus's online client ({@link Runbus#init}, in this JVM, its console and stats off), and in
 * W&B's Python client's shapes (v0.16's GraphQL documents, FileStream lines as Python's
 * {@code json.dumps} writes them, bare {@code NaN} included, the metadata through a signed
 * upload URL).
 */
final class WorkspaceRuns {
  static final String ENTITY = "alice";
  static final String PROJECT = "ui";
  /** The spike in the long run's train/loss; sampling must keep it. */
  static final double SPIKE = 1000.0;
  static final long SPIKE_STEP = 12_345;

  private final String baseUrl;
  private final String key;
  private final Path dir;
  private final HttpClient http =
      HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

  WorkspaceRuns(String baseUrl, String key, Path dir) {
    this.baseUrl = baseUrl;
    this.key = key;
    this.dir = dir;
  }

  /**
   * train/loss, train/acc and val/loss of a run at a step; {@code variant} bends the curves so that
   * runs side by side differ.
   */
  static Map<String, Object> row(long step, long steps, int variant) {
    double decay = 4.0 * (1 + 0.35 * variant) * step / steps;
    double loss = (2.0 + 0.4 * variant) * Math.exp(-decay) + 0.05 * Math.sin(step + variant);
    if (step == SPIKE_STEP && steps > SPIKE_STEP) {
      loss = SPIKE;
    }
    return Map.of("train/loss", loss, "train/acc", 1.0 - loss / 4.0, "val/loss", loss * 1.1);
  }

  /** Settings of an online run of this server, in its own directory. */
  Settings settings(String runId) {
    return Settings.builder()
        .dir(dir.resolve(runId))
        .project(PROJECT)
        .runId(runId)
        .baseUrl(baseUrl)
        .apiKey(key)
        .console(false)
        .stats(false)
        .quiet(true)
        .finishTimeout(Duration.ofMinutes(2))
        .environment(Map.of())
        .config(Map.of("lr", 0.01, "optimizer", "adam"))
        .build();
  }

  /** A finished run of {@code steps} rows, logged by runbus's online client. */
  void finishedRun(String runId, long steps, int variant) {
    try (Run run = Runbus.init(settings(runId))) {
      for (long step = 0; step < steps; step++) {
        run.log(row(step, steps, variant), step);
      }
    }
  }

  /** A finished run of {@code metrics} keys {@code layers/w00}, {@code layers/w01}, … */
  void wideRun(String runId, int metrics, long steps) {
    try (Run run = Runbus.init(settings(runId))) {
      for (long step = 0; step < steps; step++) {
        Map<String, Object> row = new TreeMap<>();
        for (int m = 0; m < metrics; m++) {
          row.put(String.format("layers/w%02d", m), m + Math.sin(step));
        }
        run.log(row, step);
      }
    }
  }

  /** Logs rows [from, to) of a running run. */
  static void log(Run run, long from, long to, long steps) {
    for (long step = from; step < to; step++) {
      run.log(row(step, steps, 0), step);
    }
  }

  /**
   * A run as W&B's Python client 0.16 sends it: UpsertBucket, the metadata upload, history lines
   * with _step, _runtime, _timestamp (one train/loss NaN), console lines (one on stderr), system
   * metrics, the summary and complete. Returns the number of train/loss points a chart shows.
   */
  int wandbShapedRun(String runId, int steps) {
    JsonObject variables = new JsonObject();
    for (String n :
        List.of("id", "groupName", "description", "displayName", "notes", "commit", "host",
            "debug", "program", "repo", "jobType", "state", "sweep", "tags", "summaryMetrics")) {
      variables.putNull(n);
    }
    variables
        .put("entity", ENTITY)
        .put("project", PROJECT)
        .put("name", runId)
        .put("host", "gpu-node-7")
        .put("program", "train.py")
        .put("config", "{\"lr\": {\"desc\": null, \"value\": 0.001}, \"_wandb\": {\"desc\": null,"
            + " \"value\": {\"python_version\": \"3.11.2\", \"cli_version\": \"0.16.6\"}}}");
    graphql("upsert-bucket-016.graphql", variables);

    JsonObject urls =
        graphql(
            "run-upload-urls-016.graphql",
            new JsonObject().put("name", PROJECT).put("entity", ENTITY).put("run", runId)
                .put("files", new JsonArray().add("wandb-metadata.json")).putNull("description"));
    String url =
        urls.getJsonObject("data").getJsonObject("model").getJsonObject("bucket")
            .getJsonObject("files").getJsonArray("edges").getJsonObject(0)
            .getJsonObject("node").getString("url");
    String metadata = "{\"os\": \"Linux-6.1.0-x86_64-with-glibc2.36\", \"python\": \"3.11.2\","
        + " \"host\": \"gpu-node-7\", \"program\": \"train.py\", \"git\": {\"remote\":"
        + " \"https://example.com/team/model.git\", \"commit\": \"4f2a9c1\"}}";
    assertEquals(200, send(HttpRequest.newBuilder(URI.create(url))
        .PUT(HttpRequest.BodyPublishers.ofString(metadata)).build()).statusCode());

    List<String> history = new ArrayList<>();
    double start = 1_795_731_340.25;
    int points = 0;
    for (int step = 0; step < steps; step++) {
      double value = 2.4 * Math.exp(-3.0 * step / steps) + 0.08 * Math.sin(step / 3.0);
      String loss = step == 7 ? "NaN" : String.valueOf(value);
      if (step != 7) {
        points++;
      }
      String val = step % 10 == 0 ? ", \"val/loss\": " + (value * 1.15 + 0.05) : "";
      history.add("{\"train/loss\": " + loss + ", \"train/acc\": " + (1 - value / 3) + val
          + ", \"_step\": " + step + ", \"_runtime\": " + (1.5 + step) + ", \"_timestamp\": "
          + (start + step) + "}");
    }
    JsonArray console = new JsonArray()
        .add("2026-12-02T10:00:00.000000 loading data: 60000 train, 10000 test\n")
        .add("2026-12-02T10:00:00.500000 epoch 1 starting\n")
        .add("ERROR 2026-12-02T10:00:01.000000 UserWarning: the learning rate is high\n")
        .add("2026-12-02T10:00:02.000000 epoch 1 done: loss 0.52\n");
    JsonArray events = new JsonArray();
    for (int i = 0; i < 12; i++) {
      events.add("{\"system.cpu\": " + (35 + 10 * Math.sin(i)) + ", \"system.memory\": " + (40 + i)
          + ", \"system.gpu.0.gpu\": " + (80 + 5 * Math.cos(i)) + ", \"_wandb\": true,"
          + " \"_timestamp\": " + (start + 15 * i) + ", \"_runtime\": " + (15 * i) + "}");
    }
    fileStream(runId, new JsonObject().put("files", new JsonObject()
        .put("wandb-history.jsonl", new JsonObject().put("offset", 0).put("content", new JsonArray(history)))
        .put("output.log", new JsonObject().put("offset", 0).put("content", console))
        .put("wandb-events.jsonl", new JsonObject().put("offset", 0).put("content", events))));
    fileStream(runId, new JsonObject()
        .put("files", new JsonObject().put("wandb-summary.json", new JsonObject().put("offset", 0)
            .put("content", new JsonArray().add("{\"train/loss\": 0.01, \"_runtime\": 42.0, \"_step\": "
                + (steps - 1) + "}"))))
        .put("complete", true).put("exitcode", 0));
    return points;
  }

  /**
   * The run W&B's Python client 0.30 (wandb-core) logged, replayed from its recorded requests
   * ({@code wandb-traffic/core-run.json.gz}): its two UpsertBucket mutations in wandb-core's shape
   * (operationName; environment metadata only in {@code config._wandb.e}, no
   * wandb-metadata.json) and its FileStream bodies as sent (system metrics, then 2,000 history
   * rows of m0…m9 with the summary and the exit). The recorded run's entity, project and id are
   * replaced by this test's.
   */
  void wandbCoreRun(String runId) {
    JsonObject recorded;
    try (InputStream in = new GZIPInputStream(
        WorkspaceRuns.class.getResourceAsStream("/wandb-traffic/core-run.json.gz"))) {
      recorded = new JsonObject(new String(in.readAllBytes(), StandardCharsets.UTF_8));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    for (Object upsert : recorded.getJsonArray("upserts")) {
      JsonObject variables =
          ((JsonObject) upsert).copy().put("entity", ENTITY).put("project", PROJECT).put("name", runId);
      JsonObject body = new JsonObject()
          .put("query", resource("/wandb-graphql/upsert-bucket-core.graphql"))
          .put("operationName", "UpsertBucket")
          .put("variables", variables);
      HttpResponse<String> answer = post("/graphql", body);
      assertEquals(200, answer.statusCode(), answer.body());
    }
    for (Object post : recorded.getJsonArray("fileStream")) {
      fileStream(runId, (JsonObject) post);
    }
  }

  private JsonObject graphql(String document, JsonObject variables) {
    JsonObject body = new JsonObject().put("query", resource("/wandb-graphql/" + document))
        .put("variables", variables);
    HttpResponse<String> answer = post("/graphql", body);
    assertEquals(200, answer.statusCode(), answer.body());
    return new JsonObject(answer.body());
  }

  private void fileStream(String runId, JsonObject body) {
    HttpResponse<String> answer =
        post("/files/" + ENTITY + "/" + PROJECT + "/" + runId + "/file_stream", body);
    assertEquals(200, answer.statusCode(), answer.body());
  }

  private HttpResponse<String> post(String path, JsonObject body) {
    String basic = Base64.getEncoder().encodeToString(("api:" + key).getBytes(StandardCharsets.UTF_8));
    return send(HttpRequest.newBuilder(URI.create(baseUrl + path))
        .header("Authorization", "Basic " + basic)
        .header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString(body.encode()))
        .build());
  }

  private HttpResponse<String> send(HttpRequest request) {
    try {
      return http.send(request, HttpResponse.BodyHandlers.ofString());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  private static String resource(String name) {
    try (InputStream in = WorkspaceRuns.class.getResourceAsStream(name)) {
      if (in == null) {
        throw new IllegalArgumentException("no test resource " + name);
      }
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
