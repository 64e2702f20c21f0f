package dev.runbus.online;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.runbus.testing.ChildProcess;
import dev.runbus.testing.FaultProxy.Fault;
import dev.runbus.testing.ReadApiClient;
import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * One online run per fault, with a real server process behind a FaultProxy: the fault hits the
 * FileStream's posts in the middle of the run (after the first half of the rows is on the server),
 * and the run still ends with every row on the server exactly once and {@code uploaded()} true.
 * DROP_RESPONSE is the case that needs the server's offsets: the server stored the post, the
 * client never heard so and sends the same offsets again. The last case kills the server with
 * SIGKILL and restarts it on the same port and data after 5 s, the client talking to it directly.
 */
class FaultsIT {
  private static final int HALF = 2_000;
  private static final int METRICS = 3;
  private static final long STALL_MILLIS = 10_000;

  @TempDir static Path dir;
  private static OnlineServer server;

  @BeforeAll
  static void startServer() throws Exception {
    server = OnlineServer.start(dir, STALL_MILLIS);
  }

  @AfterAll
  static void stopServer() throws Exception {
    if (server != null) {
      server.close();
    }
  }

  enum Injected {
    SERVER_ERROR(Fault.SERVER_ERROR, 2),
    TOO_MANY_REQUESTS(Fault.TOO_MANY_REQUESTS, 2),
    DROP_REQUEST(Fault.DROP_REQUEST, 2),
    DROP_RESPONSE(Fault.DROP_RESPONSE, 2),
    STALL(Fault.STALL, 1);

    final Fault fault;
    final int times;

    Injected(Fault fault, int times) {
      this.fault = fault;
      this.times = times;
    }
  }

  @ParameterizedTest
  @EnumSource(Injected.class)
  @Timeout(value = 3, unit = TimeUnit.MINUTES)
  void aFaultMidRunLosesNothingAndDuplicatesNothing(Injected injected) throws Exception {
    String run = "fault-" + injected.name().toLowerCase(Locale.ROOT).replace('_', '-');
    try (ChildProcess client = start(run, server.clientUrl())) {
      logHalfAndWaitForIt(client, server.reader(run));
      server.proxy().nextOn("/file_stream", injected.fault, injected.times);
      long seen = server.proxy().seen("/file_stream");
      client.send("log " + HALF);
      client.await("LOGGED ", Duration.ofSeconds(60));
      client.send("finish 0");
      JsonObject result = new JsonObject(client.await("RESULT ", Duration.ofMinutes(2)));
      assertEquals(0, client.exitCode(Duration.ofSeconds(60)), client.output());
      assertAllThere(run, result, client);
      assertEquals(0, server.proxy().pending(), "every injected fault hit a post");
      assertTrue(
          server.proxy().seen("/file_stream") >= seen + injected.times + 1,
          "the faulted posts were sent again");
    } finally {
      server.proxy().clear();
    }
  }

  @Test
  @Timeout(value = 3, unit = TimeUnit.MINUTES)
  void aServerKilledAndRestartedAfterFiveSecondsLosesNothingAndDuplicatesNothing() throws Exception {
    String run = "fault-server-killed";
    try (ChildProcess client = start(run, server.serverUrl())) {
      logHalfAndWaitForIt(client, server.reader(run));
      client.send("log " + HALF);
      client.await("LOGGED ", Duration.ofSeconds(60));
      server.killAndRestartAfter(Duration.ofSeconds(5));
      client.send("finish 0");
      JsonObject result = new JsonObject(client.await("RESULT ", Duration.ofMinutes(2)));
      assertEquals(0, client.exitCode(Duration.ofSeconds(60)), client.output());
      assertAllThere(run, result, client);
    }
  }

  private static ChildProcess start(String run, String baseUrl) throws Exception {
    return server.child(
        dir.resolve(run), run, METRICS, baseUrl, List.of("-Xmx256m"), Duration.ofMinutes(2));
  }

  /** The first half of the rows, on the server before the fault: the FileStream is under way. */
  private static void logHalfAndWaitForIt(ChildProcess client, ReadApiClient reader)
      throws Exception {
    client.await("LOG ", Duration.ofSeconds(60));
    client.send("log " + HALF);
    client.await("LOGGED ", Duration.ofSeconds(60));
    reader.awaitHistory(HALF, Duration.ofSeconds(60));
  }

  private static void assertAllThere(String run, JsonObject result, ChildProcess client) {
    assertEquals(true, result.getBoolean("uploaded"), result.encodePrettily() + "\n" + client.output());
    ReadApiClient reader = server.reader(run);
    JsonObject stored = reader.run();
    assertEquals("finished", stored.getString("state"), stored.encodePrettily());
    assertEquals(0, stored.getInteger("exitCode"));
    assertEquals(2L * HALF, stored.getLong("historyLineCount"));
    Rows.assertEveryRowOnce(reader, 2L * HALF, METRICS);
  }
}
