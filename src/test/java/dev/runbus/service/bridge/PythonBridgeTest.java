package dev.runbus.service.bridge;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.runbus.RunLogs;
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
import java.util.Map;
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

  private int port;
  private ServiceToken token;
  private String deployment;

  private void startService() throws Exception {
    vertx = Vertx.vertx();
    port = BridgeClient.freePort();
    ServiceConfig config =
        ServiceConfig.defaults(dataDir)
            .withBridge(new ServiceConfig.Listener("127.0.0.1", port, null, null))
            .withGrpc(null);
    token = ServiceToken.loadOrCreate(dataDir);
    deployment =
        vertx
            .deployVerticle(
                new BridgeTransportVerticle(
                    new ServiceContext(config, token, new RunHost(vertx, config, token))))
            .await(30, TimeUnit.SECONDS);
  }

  /** Runs {@code python3 args…} with the example's directory on its path; returns its output. */
  private String python(String... args) throws Exception {
    ProcessBuilder python =
        new ProcessBuilder(Stream.concat(Stream.of("python3"), Stream.of(args)).toList())
            .directory(work.toFile())
            .redirectErrorStream(true)
            .redirectOutput(work.resolve("out.txt").toFile());
    python.environment().put("RUNBUS_BRIDGE_PORT", "" + port);
    python.environment().put("RUNBUS_SERVICE_TOKEN", token.value());
    python.environment().put("PYTHONPATH", EXAMPLES.toString());
    python.environment().put("PYTHONDONTWRITEBYTECODE", "1"); // no __pycache__ in the sources
    Process process = python.start();
    assertTrue(process.waitFor(120, TimeUnit.SECONDS), "the example did not end in 120 s");
    String out = Files.readString(work.resolve("out.txt"), StandardCharsets.UTF_8);
    assertEquals(0, process.exitValue(), out);
    return out;
  }

  private Path onlyLog() throws Exception {
    try (Stream<Path> files = Files.walk(dataDir.resolve("wandb"))) {
      return files.filter(p -> p.toString().endsWith(".wandb")).findFirst().orElseThrow();
    }
  }

  @Test
  void theExampleLogsARunTheIndependentReaderAccepts() throws Exception {
    startService();
    String out = python(EXAMPLES.resolve("train_example.py").toString(), "--steps", "" + STEPS);
    assertTrue(out.contains(STEPS + " rows"), out);
    vertx.undeploy(deployment).await(60, TimeUnit.SECONDS);

    PythonLogReader.Result read = PythonLogReader.run(onlyLog());
    assertEquals(PythonLogReader.OK, read.exitCode(), read.stderr());
    List<JsonObject> records = read.lines().stream().map(JsonObject::new).toList();
    assertEquals(STEPS, records.stream().filter(r -> "history".equals(r.getString("type"))).count());
    List<JsonObject> exits = records.stream().filter(r -> "exit".equals(r.getString("type"))).toList();
    assertEquals(1, exits.size());
    assertEquals(0, exits.get(0).getInteger("exit_code", -1), exits.get(0).encode());
    assertTrue(records.get(records.size() - 1).getBoolean("ok"));
  }

  @Test
  void theClientCarriesNonFiniteFloatsAndRaisesTheJavaApisRefusal() throws Exception {
    startService();
    String script =
        String.join(
            "\n",
            "from runbus_bridge import Run, BridgeError",
            "with Run(project='p') as run:",
            "    run.log({'nan': float('nan'), 'inf': float('-inf'), 'x': 1})",
            "    try:",
            "        run.log({'_step': 5, 'x': 2})",
            "    except BridgeError as e:",
            "        print('refused', e.code, e.message)",
            "    print('summary nan', run.summary['nan'])");
    String out = python("-c", script);
    assertTrue(out.contains("refused 400 log() key \"_step\""), out);
    assertTrue(out.contains("summary nan nan"), out);
    vertx.undeploy(deployment).await(60, TimeUnit.SECONDS);
    List<Map<String, String>> history = RunLogs.history(RunLogs.records(onlyLog()));
    assertEquals(1, history.size());
    assertEquals("NaN", history.get(0).get("nan"));
    assertEquals("-Infinity", history.get(0).get("inf"));
  }
}
