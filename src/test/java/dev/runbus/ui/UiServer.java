package dev.runbus.ui;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.runbus.Mode;
import dev.runbus.Run;
import dev.runbus.Runbus;
import dev.runbus.RunResult;
import dev.runbus.Settings;
import dev.runbus.testing.ServerProcess;
import java.nio.file.Path;
import java.util.Map;
import java.util.function.Consumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The packaged jar's {@code runbus server} in a child JVM (as a user starts it), with the key its
 * first start prints, and runs logged to it by runbus's own online client, as a training job would.
 */
public final class UiServer implements AutoCloseable {

  private static final Pattern KEY = Pattern.compile("WANDB_API_KEY=([A-Za-z0-9]+)");

  private final ServerProcess process;
  private final String key;
  private final Path runsDir;

  private UiServer(ServerProcess process, String key, Path runsDir) {
    this.process = process;
    this.key = key;
    this.runsDir = runsDir;
  }

  /** A server on a free port with its data in {@code dir/data}; runs keep their files in dir. */
  public static UiServer start(Path dir) throws Exception {
    ServerProcess process = ServerProcess.start(dir.resolve("data"), null);
    String key = null;
    for (String line : process.lines()) {
      Matcher m = KEY.matcher(line);
      if (m.find()) {
        key = m.group(1);
      }
    }
    assertTrue(key != null, "no first key in the server's output:\n" + process.output());
    return new UiServer(process, key, dir.resolve("runs"));
  }

  public String url() {
    return process.url();
  }

  public String key() {
    return key;
  }

  /** The first start's user, whose entity the runs land in. */
  public String entity() {
    return "admin";
  }

  public ServerProcess process() {
    return process;
  }

  /**
   * Creates runs {@code <prefix>000}, {@code <prefix>001}, … as W&B's Python client does (its
   * UpsertBucket mutation, v0.16's document), without logging anything to them: many runs fast.
   */
  public void upsertRuns(String project, String prefix, int count) throws Exception {
    String document;
    try (java.io.InputStream in = UiServer.class.getResourceAsStream("/wandb-graphql/upsert-bucket-016.graphql")) {
      document = new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
    }
    java.net.http.HttpClient http = java.net.http.HttpClient.newHttpClient();
    String basic =
        "Basic "
            + java.util.Base64.getEncoder()
                .encodeToString(("api:" + key).getBytes(java.nio.charset.StandardCharsets.UTF_8));
    for (int i = 0; i < count; i++) {
      io.vertx.core.json.JsonObject variables =
          new io.vertx.core.json.JsonObject()
              .put("entity", entity())
              .put("project", project)
              .put("name", String.format("%s%03d", prefix, i))
              .put("state", "running");
      String body =
          new io.vertx.core.json.JsonObject().put("query", document).put("variables", variables).encode();
      java.net.http.HttpResponse<String> answer =
          http.send(
              java.net.http.HttpRequest.newBuilder(java.net.URI.create(url() + "/graphql"))
                  .header("Authorization", basic)
                  .header("Content-Type", "application/json")
                  .POST(java.net.http.HttpRequest.BodyPublishers.ofString(body))
                  .build(),
              java.net.http.HttpResponse.BodyHandlers.ofString());
      assertTrue(
          answer.statusCode() == 200 && !answer.body().contains("\"errors\""),
          "UpsertBucket: " + answer.statusCode() + " " + answer.body());
    }
  }

  /** A run's settings on this server: online, quiet, its files under the fixture's directory. */
  public Settings.Builder settings(String project, String name) {
    return Settings.builder()
        .mode(Mode.ONLINE)
        .baseUrl(url())
        .apiKey(key)
        .dir(runsDir)
        .project(project)
        .name(name)
        .quiet(true)
        .stats(false);
  }

  /**
   * Logs a finished run (exit code {@code exitCode}: 0 finished, else failed): {@code steps} rows
   * of {@code loss} and {@code acc}, then the body's extra calls; waits for the upload.
   */
  public String logRun(
      Settings.Builder settings, int steps, int exitCode, Consumer<Run> body) {
    Run run = Runbus.init(settings.build());
    for (int step = 0; step < steps; step++) {
      run.log(Map.of("loss", 1.0 / (step + 1), "acc", step / (double) Math.max(1, steps)));
    }
    body.accept(run);
    RunResult result = run.finish(exitCode);
    assertTrue(result.uploaded(), "the run did not reach the server: " + result.notUploaded());
    return run.id();
  }

  @Override
  public void close() throws Exception {
    process.close();
  }
}
