package dev.runbus.service;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.runbus.RunLogs;
import dev.runbus.log.IndependentReader;
import dev.runbus.proto.Record;
import dev.runbus.testing.ChildProcess;
import dev.runbus.testing.PackagedJar;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The Python bridge client against the packaged service ({@code java -jar runbus.jar service}):
 * the example ({@code examples/python/train_example.py}) logs a run W&B's independent reader
 * accepts; then SIGTERM while a second Python client is mid-run stops the service, and that run's
 * log still ends properly.
 */
class PythonBridgeJarIT {

  private static final Duration SLOW = Duration.ofMinutes(3);
  private static final Path EXAMPLES = Path.of("examples/python").toAbsolutePath();
  private static final int STEPS = 60;
  private static final int MIDWAY_ROWS = 40;

  @TempDir Path dir;

  private final List<ChildProcess> children = new ArrayList<>();

  @AfterEach
  void stop() {
    children.forEach(ChildProcess::close);
  }

  private static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    }
  }

  private ChildProcess child(Path work, List<String> command, Map<String, String> env) throws IOException {
    ChildProcess child = ChildProcess.in(work, command, env);
    children.add(child);
    return child;
  }

  /** {@code python3 -u args…} with the example client on its path, the bridge's port and token. */
  private ChildProcess python(int port, String token, String... args) throws IOException {
    List<String> command = new ArrayList<>(List.of("python3", "-u"));
    command.addAll(List.of(args));
    return child(
        dir,
        command,
        Map.of(
            "RUNBUS_BRIDGE_PORT", Integer.toString(port),
            "RUNBUS_SERVICE_TOKEN", token,
            "PYTHONPATH", EXAMPLES.toString(),
            "PYTHONDONTWRITEBYTECODE", "1")); // no __pycache__ in the sources
  }

  private static Path logOf(Path data, String runId) throws IOException {
    try (Stream<Path> files = Files.walk(data)) {
      return files
          .filter(p -> p.getFileName().toString().equals("run-" + runId + ".wandb"))
          .findFirst()
          .orElseThrow(() -> new AssertionError("no log of run " + runId + " under " + data));
    }
  }

  @Test
  void theExampleLogsARunWandbsReaderAcceptsAndSigtermEndsARunMidwayProperly() throws Exception {
    Path data = dir.resolve("data");
    int bridge = freePort();
    JsonObject conf =
        new JsonObject()
            .put("data", data.toString())
            .put("grpc", false)
            .put("bridge", new JsonObject().put("host", "127.0.0.1").put("port", bridge));
    Path work = Files.createDirectories(dir.resolve("work"));
    ChildProcess service =
        child(work, PackagedJar.command(List.of("-Xmx256m"), List.of("service", "-conf", conf.encode())), Map.of());
    String ready = service.await(ServiceVerticle.READY, SLOW);
    assertTrue(ready.startsWith("bridge on 127.0.0.1:" + bridge), ready);
    String token = Files.readString(data.resolve(ServiceToken.FILE)).strip();

    // the example, as its docstring runs it
    ChildProcess example =
        python(bridge, token, EXAMPLES.resolve("train_example.py").toString(), "--steps", "" + STEPS);
    assertEquals(0, example.exitCode(SLOW), example.output());
    String done = example.stdout().stream().filter(l -> l.startsWith("run ")).findFirst().orElseThrow();
    String prefix = STEPS + " rows in ";
    assertTrue(done.contains(prefix), done);
    Path exampleLog = Path.of(done.substring(done.indexOf(prefix) + prefix.length()));
    assertTrue(exampleLog.startsWith(data), "the run lives on the service: " + exampleLog);
    Map<String, Integer> types = IndependentReader.typeCounts(exampleLog);
    assertEquals(STEPS, types.get("history"), types.toString());
    assertEquals(1, types.get("exit"), types.toString());
    List<Record> exampleRecords = RunLogs.records(exampleLog);
    assertEquals(0, exampleRecords.stream().filter(Record::hasExit).findFirst().orElseThrow().getExit().getExitCode());

    // a second client mid-run (it logged, then waits on its stdin) when the service gets SIGTERM
    String script =
        String.join(
            "\n",
            "import sys",
            "from runbus_bridge import Run",
            "run = Run(project='midway')",
            "for i in range(" + MIDWAY_ROWS + "):",
            "    run.log({'x': i, 'y': i * 0.5})",
            "print('logged', run.id)",
            "sys.stdin.readline()");
    ChildProcess midway = python(bridge, token, "-c", script);
    String runId = midway.await("logged ", SLOW);
    assertEquals(143, service.terminate(SLOW), "SIGTERM stops the service: " + service.output());

    Path midwayLog = logOf(data, runId);
    List<Record> records = RunLogs.records(midwayLog);
    List<String> order = RunLogs.types(records);
    assertEquals(
        List.of("exit", "summary", "final", "footer"),
        order.subList(order.size() - 4, order.size()),
        order.toString());
    assertEquals(MIDWAY_ROWS, RunLogs.history(records).size(), "every row the client was answered for");
    Map<String, Integer> midwayTypes = IndependentReader.typeCounts(midwayLog);
    assertEquals(MIDWAY_ROWS, midwayTypes.get("history"), midwayTypes.toString());
    // 128 + SIGTERM, as the service's hosted runs end (a 0 would say the client finished it)
    assertEquals(143, records.get(records.size() - 4).getExit().getExitCode(), "ended by the service's stop");
  }
}
