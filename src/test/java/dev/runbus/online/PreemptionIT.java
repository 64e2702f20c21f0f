package dev.runbus.online;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.runbus.RunLogs;
import dev.runbus.testing.ChildProcess;
import dev.runbus.testing.ReadApiClient;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * A training process preempted by its scheduler (SIGTERM) while streaming to {@code runbus
 * server}: the server marks the run preempted, not failed or crashed, with exit code 143, and has
 * the run's metadata and requirements.txt, sent at the start.
 */
class PreemptionIT {

  private static final String RUN = "preempted-online";

  @TempDir Path dir;

  @Test
  @Timeout(value = 3, unit = TimeUnit.MINUTES)
  void sigtermLeavesTheRunPreemptedOnTheServer() throws Exception {
    try (OnlineServer server = OnlineServer.start(dir, 1_000);
        ChildProcess client =
            server.child(
                dir.resolve("client"), RUN, 4, server.serverUrl(), List.of("-Xmx256m"),
                Duration.ofMinutes(2))) {
      Path log = Path.of(client.await("LOG ", Duration.ofSeconds(60)));
      assertEquals("ONLINE", client.await("MODE ", Duration.ofSeconds(10)));
      client.send("paced 500");
      ReadApiClient reader = server.reader(RUN);
      reader.awaitHistory(100, Duration.ofSeconds(60)); // the FileStream is under way

      String requirements = reader.file("requirements.txt");
      assertNotNull(requirements, "requirements.txt went up at the start, before any finish");
      String vertx = "io.vertx:vertx-core==" + Vertx.class.getPackage().getImplementationVersion();
      assertTrue(requirements.lines().anyMatch(vertx::equals), vertx + " in\n" + requirements);
      assertNotNull(reader.file("wandb-metadata.json"));

      assertEquals(143, client.terminate(Duration.ofSeconds(90)), client.output());
      JsonObject run = reader.run();
      assertEquals("preempted", run.getString("state"), run.encodePrettily());
      assertEquals(143, run.getInteger("exitCode"), run.encodePrettily());

      List<String> types = RunLogs.types(RunLogs.records(log));
      assertTrue(types.indexOf("preempting") >= 0, "the log has the record too");
      assertEquals(
          List.of("exit", "summary", "final", "footer"),
          types.subList(types.size() - 4, types.size()));
    }
  }
}
