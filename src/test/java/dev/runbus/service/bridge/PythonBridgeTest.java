package dev.runbus.service.bridge;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.runbus.log.PythonLogReader;
import dev.runbus.service.RunHost;
import dev.runbus.service.ServiceConfig;
import dev.runbus.service.ServiceContext;
import dev.runbus.service.ServiceToken;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The Python example ({@code examples/python/train_example.py}, standard library only) logs a run
 * through the bridge of a service started in this JVM; W&B's independent reader accepts the log,
 * with every row.
 */
class PythonBridgeTest {

  private static final Path EXAMPLES = Path.of("examples/python").toAbsolutePath();
  private static final int STEPS = 120;

  @TempDir Path dataDir;
  @TempDir Path work;
  private Vertx vertx;

  @AfterEach
  void stop() throws Exception {
    if (vertx != null) {
      vertx.close().await(60, TimeUnit.SECONDS);
    }
  }

  @Test
  void theExampleLogsARunTheIndependentReaderAccepts() throws Exception {
    vertx = Vertx.vertx();
    int port = BridgeClient.freePort();
    ServiceConfig config =
        ServiceConfig.defaults(dataDir)
            .withBridge(new ServiceConfig.Listener("127.0.0.1", port, null, null))
            .withGrpc(null);
    ServiceToken token = ServiceToken.loadOrCreate(dataDir);
    String deployment =
        vertx
            .deployVerticle(
                new BridgeTransportVerticle(
                    new ServiceContext(config, token, new RunHost(vertx, config, token))))
            .await(30, TimeUnit.SECONDS);

    ProcessBuilder python =
        new ProcessBuilder(
                "python3", EXAMPLES.resolve("train_example.py").toString(), "--steps", "" + STEPS)
            .directory(work.toFile())
            .redirectErrorStream(true)
            .redirectOutput(work.resolve("out.txt").toFile());
    python.environment().put("RUNBUS_BRIDGE_PORT", "" + port);
    python.environment().put("RUNBUS_SERVICE_TOKEN", token.value());
    python.environment().put("PYTHONPATH", EXAMPLES.toString());
    Process process = python.start();
    assertTrue(process.waitFor(120, TimeUnit.SECONDS), "the example did not end in 120 s");
    String out = Files.readString(work.resolve("out.txt"), StandardCharsets.UTF_8);
    assertEquals(0, process.exitValue(), out);
    assertTrue(out.contains(STEPS + " rows"), out);
    vertx.undeploy(deployment).await(60, TimeUnit.SECONDS);

    Path log;
    try (Stream<Path> files = Files.walk(dataDir.resolve("wandb"))) {
      log = files.filter(p -> p.toString().endsWith(".wandb")).findFirst().orElseThrow();
    }
    PythonLogReader.Result read = PythonLogReader.run(log);
    assertEquals(PythonLogReader.OK, read.exitCode(), read.stderr());
    List<JsonObject> records = read.lines().stream().map(JsonObject::new).toList();
    assertEquals(STEPS, records.stream().filter(r -> "history".equals(r.getString("type"))).count());
    assertEquals(1, records.stream().filter(r -> "exit".equals(r.getString("type"))).count());
    assertTrue(records.get(records.size() - 1).getBoolean("ok"));
  }
}
