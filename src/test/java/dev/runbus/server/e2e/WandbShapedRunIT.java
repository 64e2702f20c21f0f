package dev.runbus.server.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.runbus.testing.ServerProcess;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A W&B-shaped online run of 10,000 rows against the packaged server, as W&B's v0.16 client makes
 * it (Viewer, UpsertBucket, the metadata upload, FileStream posts of history, summary, system
 * metrics and console lines, a config update, the final uploads and {@code complete}), read back
 * through the read API row for row.
 */
class WandbShapedRunIT {
  private static final int ROWS = 10_000;
  private static final int PER_POST = 400;
  private static final int METRICS = 10;

  @TempDir Path dir;

  @Test
  void aTenThousandRowRunReadsBackRowForRow() throws Exception {
    Path data = dir.resolve("data");
    String key = ServerProcess.createKey(data, null, "alice");
    try (ServerProcess server = ServerProcess.start(data, null);
        WandbShapedClient client = new WandbShapedClient(server.url(), key)) {
      JsonObject viewer = client.graphqlPython("viewer-016.graphql", null);
      assertEquals("alice", viewer.getJsonObject("data").getJsonObject("viewer").getString("entity"));

      String config = "{\"lr\": {\"desc\": null, \"value\": 0.01}}";
      JsonObject upserted =
          client.upsertRun(null, "mnist-demo", "b81edb41", new JsonObject().put("config", config));
      JsonObject bucket =
          upserted.getJsonObject("data").getJsonObject("upsertBucket").getJsonObject("bucket");
      String entity = bucket.getJsonObject("project").getJsonObject("entity").getString("name");
      assertEquals("alice", entity);

      byte[] metadata = "{\"os\": \"Linux\", \"python\": \"3.11.2\"}".getBytes(StandardCharsets.UTF_8);
      upload(client, entity, "wandb-metadata.json", metadata);

      for (int offset = 0; offset < ROWS; offset += PER_POST) {
        JsonObject post = HistoryLines.historyPost(offset, PER_POST, METRICS, false);
        long last = offset + PER_POST - 1;
        JsonObject files = post.getJsonObject("files");
        files.put(
            "wandb-summary.json",
            new JsonObject()
                .put("offset", 0)
                .put("content", new JsonArray().add(HistoryLines.python(last, METRICS))));
        int postIndex = offset / PER_POST;
        files.put(
            "output.log",
            new JsonObject()
                .put("offset", postIndex)
                .put("content", new JsonArray().add("2026-12-02T10:00:00.000000 post " + postIndex + "\n")));
        if (postIndex % 5 == 0) {
          files.put(
              "wandb-events.jsonl",
              new JsonObject()
                  .put("offset", postIndex / 5)
                  .put(
                      "content",
                      new JsonArray()
                          .add("{\"system.cpu\": 12.5, \"_wandb\": true, \"_timestamp\": 1795731340.5,"
                              + " \"_runtime\": " + postIndex + "}")));
        }
        post.put("dropped", 0);
        assertOk(client.fileStream(entity, "mnist-demo", "b81edb41", post, false));
      }
      // v0.16's heartbeat and a config change after init
      assertOk(
          client.fileStream(
              entity,
              "mnist-demo",
              "b81edb41",
              new JsonObject().put("complete", false).put("failed", false).put("dropped", 0)
                  .put("uploaded", new JsonArray().add("wandb-metadata.json")),
              false));
      String newConfig = "{\"lr\": {\"desc\": null, \"value\": 0.01}, \"late_key\": {\"desc\": null, \"value\": \"added\"}}";
      client.upsertRun(entity, "mnist-demo", "b81edb41", new JsonObject().put("config", newConfig));

      // run.alert(title, text, level, wait_duration): the second of the same title within the
      // wait is not recorded again
      for (int i = 0; i < 2; i++) {
        JsonObject alerted =
            client.graphqlPython(
                "notify-scriptable-run-alert-016.graphql",
                new JsonObject()
                    .put("entityName", entity)
                    .put("projectName", "mnist-demo")
                    .put("runName", "b81edb41")
                    .put("title", "Low accuracy")
                    .put("text", "accuracy 0.12 at step " + i)
                    .put("severity", "WARN")
                    .put("waitDuration", 300));
        assertEquals(
            true,
            alerted.getJsonObject("data").getJsonObject("notifyScriptableRunAlert").getBoolean("success"),
            alerted.encode());
      }

      byte[] configYaml = "wandb_version: 1\n\nlr:\n  desc: null\n  value: 0.01\n".getBytes(StandardCharsets.UTF_8);
      upload(client, entity, "config.yaml", configYaml);
      assertOk(
          client.fileStream(
              entity,
              "mnist-demo",
              "b81edb41",
              new JsonObject().put("complete", true).put("exitcode", 0).put("dropped", 0)
                  .put("uploaded", new JsonArray().add("config.yaml")),
              false));

      String runPath = "/api/v1/entities/alice/projects/mnist-demo/runs/b81edb41";
      JsonObject run = ok(client.get(runPath)).bodyAsJsonObject();
      assertEquals("finished", run.getString("state"));
      assertEquals(0, run.getInteger("exitCode"));
      assertEquals(ROWS, run.getLong("historyLineCount"));
      assertEquals("added", run.getJsonObject("config").getJsonObject("late_key").getValue("value"));
      assertEquals((double) ROWS - 1, run.getJsonObject("summary").getDouble("_step"), 0.0);

      String[] lines = ok(client.get(runPath + "/history")).bodyAsString().split("\n");
      assertEquals(ROWS, lines.length);
      for (int step = 0; step < ROWS; step++) {
        JsonObject expected = new JsonObject(HistoryLines.python(step, METRICS));
        JsonObject actual = new JsonObject(lines[step]);
        assertEquals(expected.fieldNames(), actual.fieldNames(), "keys of row " + step);
        for (String name : expected.fieldNames()) {
          assertEquals(
              ((Number) expected.getValue(name)).doubleValue(),
              ((Number) actual.getValue(name)).doubleValue(),
              0.0,
              name + " of row " + step);
        }
      }

      JsonObject sampled =
          ok(client.get(runPath + "/history?keys=m0,m3,m9&samples=100")).bodyAsJsonObject();
      JsonArray series = sampled.getJsonArray("series");
      assertEquals(3, series.size());
      JsonArray m9 = series.getJsonObject(2).getJsonArray("values");
      assertTrue(m9.size() >= 50 && m9.size() <= 200, "about 100 points: " + m9.size());
      assertEquals(HistoryLines.value(0, 9), m9.getDouble(0), 1e-9);
      assertEquals(HistoryLines.value(ROWS - 1, 9), m9.getDouble(m9.size() - 1), 1e-9);

      JsonObject console = ok(client.get(runPath + "/console?from=0&limit=1000")).bodyAsJsonObject();
      assertEquals(ROWS / PER_POST, console.getJsonArray("lines").size());
      JsonObject events = ok(client.get(runPath + "/events?from=0&limit=1000")).bodyAsJsonObject();
      assertEquals(ROWS / PER_POST / 5, events.getJsonArray("lines").size());

      JsonArray alerts = ok(client.get(runPath + "/alerts")).bodyAsJsonObject().getJsonArray("alerts");
      assertEquals(1, alerts.size(), alerts.encode());
      assertEquals("Low accuracy", alerts.getJsonObject(0).getString("title"));
      assertEquals("accuracy 0.12 at step 0", alerts.getJsonObject(0).getString("text"));
      assertEquals("WARN", alerts.getJsonObject(0).getString("severity"));

      Buffer yaml = ok(client.get(runPath + "/file?name=config.yaml")).body();
      assertEquals(new String(configYaml, StandardCharsets.UTF_8), yaml.toString());
      Buffer meta = ok(client.get(runPath + "/file?name=wandb-metadata.json")).body();
      assertEquals(new String(metadata, StandardCharsets.UTF_8), meta.toString());
    }
  }

  private static void upload(WandbShapedClient client, String entity, String name, byte[] bytes) {
    JsonObject urls = client.uploadUrls(entity, "mnist-demo", "b81edb41", List.of(name));
    String url = urls.getString(name);
    assertTrue(url != null && url.startsWith("http"), "an absolute upload URL: " + urls);
    assertOk(client.put(url, bytes));
  }

  private static void assertOk(HttpResponse<Buffer> response) {
    ok(response);
  }

  private static HttpResponse<Buffer> ok(HttpResponse<Buffer> response) {
    assertEquals(200, response.statusCode(), () -> response.bodyAsString());
    return response;
  }
}
