package dev.runbus.online;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.runbus.log.LogEntry;
import dev.runbus.log.LogReader;
import dev.runbus.proto.Record;
import dev.runbus.testing.ChildProcess;
import dev.runbus.testing.ReadApiClient;
import dev.runbus.testing.ServerKeys;
import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * A key revoked in the middle of an online run ({@code runbus server key revoke} while the run and
 * the server go on): the server answers 401, the client does not retry, the run ends offline with
 * one clear message, its log complete, {@code uploaded()} false and the sync command in {@code
 * notUploaded()}; then {@code sync --include-online} with another valid key of the same user
 * uploads the rest, every row once.
 */
class RevokedKeyIT {
  private static final int HALF = 2_000;
  private static final int METRICS = 3;
  private static final String RUN = "revoked";

  @TempDir Path dir;

  @Test
  @Timeout(value = 4, unit = TimeUnit.MINUTES)
  void aRevokedKeyEndsTheRunOfflineAndSyncFinishesTheUpload() throws Exception {
    try (OnlineServer server = OnlineServer.start(dir, 1_000)) {
      ServerKeys.Issued spare = ServerKeys.create(server.data(), OnlineServer.USER);
      ReadApiClient reader = server.reader(RUN, spare.key());
      JsonObject result;
      Path log;
      String said;
      List<String> stderr;
      try (ChildProcess client =
          server.child(
              dir.resolve("client"), RUN, METRICS, server.clientUrl(), List.of("-Xmx256m"),
              Duration.ofMinutes(2))) {
        log = Path.of(client.await("LOG ", Duration.ofSeconds(60)));
        client.send("log " + HALF);
        client.await("LOGGED ", Duration.ofSeconds(60));
        reader.awaitHistory(HALF, Duration.ofSeconds(60));

        ServerKeys.revoke(server.data(), server.key().id());
        awaitRefused(server.serverUrl(), server.key().key());
        client.send("log " + HALF);
        client.await("LOGGED ", Duration.ofSeconds(60));
        client.send("finish 0");
        result = new JsonObject(client.await("RESULT ", Duration.ofMinutes(2)));
        assertEquals(0, client.exitCode(Duration.ofSeconds(60)), client.output());

        assertEquals(false, result.getBoolean("uploaded"), result.encodePrettily());
        String notUploaded = result.getString("notUploaded");
        assertTrue(notUploaded.contains("sync --include-online"), notUploaded);
        assertTrue(notUploaded.contains(result.getString("dir")), notUploaded);
        said = client.output();
        stderr = client.stderr();
      }
      assertEquals(2 * HALF, historyRecordsIn(log), "the log holds every row");
      assertTrue(reader.historyLineCount() < 2 * HALF, "the refused rows did not arrive");

      try (ChildProcess sync = server.sync(spare.key(), "--include-online", result.getString("dir"))) {
        assertEquals(0, sync.exitCode(Duration.ofMinutes(2)), sync.output());
      }
      JsonObject run = reader.run();
      assertEquals("finished", run.getString("state"), run.encodePrettily());
      assertEquals(0, run.getInteger("exitCode"));
      Rows.assertEveryRowOnce(reader, 2 * HALF, METRICS);

      // while it ran: one line said why the upload stopped (the end-of-run report says it again,
      // with what is left); every sync command it printed re-sends an online run's log
      List<String> notices =
          stderr.stream()
              // "HTTP 401", not "401": the run directory's time stamp may hold those digits
              .filter(l -> l.contains("HTTP 401"))
              .filter(l -> !l.contains("The server did not receive all of this run"))
              .toList();
      assertEquals(1, notices.size(), "one clear message while the run went on:\n" + said);
      for (String line : stderr) {
        if (line.contains("runbus.jar sync")) {
          assertTrue(line.contains("sync --include-online"), "a sync command that skips this run: " + line);
        }
      }
    }
  }

  /** The server caches keys for a few seconds: wait until it answers the revoked one 401. */
  private static void awaitRefused(String baseUrl, String key) throws Exception {
    HttpClient http = HttpClient.newHttpClient();
    HttpRequest request =
        HttpRequest.newBuilder(URI.create(baseUrl + "/api/v1/entities"))
            .header(
                "Authorization",
                "Basic "
                    + Base64.getEncoder()
                        .encodeToString(("api:" + key).getBytes(StandardCharsets.UTF_8)))
            .timeout(Duration.ofSeconds(30))
            .build();
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(90);
    while (System.nanoTime() < deadline) {
      if (http.send(request, HttpResponse.BodyHandlers.discarding()).statusCode() == 401) {
        return;
      }
      Thread.sleep(200);
    }
    throw new AssertionError("the server still took the revoked key after 90 s");
  }

  static long historyRecordsIn(Path log) throws Exception {
    long rows = 0;
    try (LogReader reader = LogReader.open(log)) {
      LogEntry entry;
      while ((entry = reader.next()) != null) {
        if (Record.parseFrom(entry.payload()).hasHistory()) {
          rows++;
        }
      }
    }
    return rows;
  }
}
