package dev.runbus.service.bridge;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.runbus.Mode;
import dev.runbus.Run;
import dev.runbus.Runbus;
import dev.runbus.RunLogs;
import dev.runbus.Settings;
import dev.runbus.proto.Record;
import dev.runbus.service.RunHost;
import dev.runbus.service.ServiceConfig;
import dev.runbus.service.ServiceContext;
import dev.runbus.service.ServiceToken;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.core.net.SelfSignedCertificate;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The TCP bridge on a real socket on 127.0.0.1, its runs real embedded runs: what it lets through,
 * what it refuses and why, and that every run's log ends properly however its client leaves.
 */
class BridgeTransportTest {

  private static final String TOKEN = "bridge-test-token";

  @TempDir Path dataDir;
  private Vertx vertx;
  private BridgeTransportVerticle verticle;
  private String deployment;
  private int port;

  @BeforeEach
  void start() throws Exception {
    vertx = Vertx.vertx();
    deploy(BridgeSessions.Limits.DEFAULT, null);
  }

  private void deploy(BridgeSessions.Limits limits, SelfSignedCertificate cert) throws Exception {
    port = BridgeClient.freePort();
    ServiceConfig.Listener listener =
        cert == null
            ? new ServiceConfig.Listener("127.0.0.1", port, null, null)
            : new ServiceConfig.Listener(
                "127.0.0.1", port, cert.certificatePath(), cert.privateKeyPath());
    ServiceConfig config = ServiceConfig.defaults(dataDir).withBridge(listener).withGrpc(null);
    ServiceToken token = ServiceToken.of(TOKEN);
    verticle = new BridgeTransportVerticle(new ServiceContext(config, token, new RunHost(vertx, config, token)), limits);
    deployment = vertx.deployVerticle(verticle).await(30, TimeUnit.SECONDS);
  }

  private void undeploy() throws Exception {
    vertx.undeploy(deployment).await(60, TimeUnit.SECONDS);
  }

  @AfterEach
  void stop() throws Exception {
    // the bridge first, as the service stops it: its stop finishes open runs while the kernel
    // that writes their logs is still deployed
    if (vertx.deploymentIDs().contains(deployment)) {
      undeploy();
    }
    vertx.close().await(60, TimeUnit.SECONDS);
  }

  private static JsonObject init(BridgeClient client) throws Exception {
    return client.call(BridgeAddresses.INIT, TOKEN, new JsonObject().put("project", "bridge"));
  }

  private static JsonObject log(String run, JsonObject row) {
    return new JsonObject().put("run", run).put("row", row);
  }

  private static Path logOf(JsonObject finished) {
    return Path.of(finished.getString("log"));
  }

  private Path onlyLog() throws Exception {
    try (Stream<Path> files = Files.walk(dataDir.resolve("wandb"))) {
      List<Path> logs = files.filter(p -> p.toString().endsWith(".wandb")).toList();
      assertEquals(1, logs.size(), logs.toString());
      return logs.get(0);
    }
  }

  @Test
  void aClientLogsAWholeRunThroughTheJavaApi() throws Exception {
    try (BridgeClient client = BridgeClient.connect(port)) {
      JsonObject started =
          client.call(
              BridgeAddresses.INIT,
              TOKEN,
              new JsonObject()
                  .put("project", "bridge")
                  .put("name", "first")
                  .put("config", new JsonObject().put("lr", 0.1)));
      String run = started.getString("run");
      assertEquals("bridge", started.getString("project"));
      client.call(BridgeAddresses.DEFINE_METRIC, TOKEN,
          new JsonObject().put("run", run).put("name", "acc").put("summary", "max"));
      for (int i = 0; i < 5; i++) {
        JsonObject answer = client.call(BridgeAddresses.LOG, TOKEN,
            log(run, new JsonObject().put("loss", 1.0 / (i + 1)).put("acc", i == 2 ? 0.9 : 0.1)));
        assertEquals(i + 1, answer.getLong("step"));
      }
      client.call(BridgeAddresses.LOG, TOKEN,
          log(run, new JsonObject().put("nan", new JsonObject().put("$float", "NaN"))).put("step", 9));
      client.call(BridgeAddresses.CONFIG, TOKEN,
          new JsonObject().put("run", run).put("config", new JsonObject().put("batch", 32)));
      client.call(BridgeAddresses.SUMMARY, TOKEN,
          new JsonObject().put("run", run).put("summary", new JsonObject().put("best", 7)));
      JsonObject acc = client.call(BridgeAddresses.SUMMARY_GET, TOKEN,
          new JsonObject().put("run", run).put("key", "acc"));
      assertEquals(0.9, acc.getJsonObject("value").getDouble("max"));
      JsonObject finished = client.call(BridgeAddresses.FINISH, TOKEN, new JsonObject().put("run", run));
      assertEquals(0, finished.getInteger("exit_code"));
      assertEquals(6, finished.getLong("history_rows"));

      List<Record> records = RunLogs.records(logOf(finished));
      List<Map<String, String>> history = RunLogs.history(records);
      assertEquals(6, history.size());
      assertEquals("NaN", history.get(5).get("nan"));
      assertEquals("9", history.get(5).get("_step"));
      assertEquals(0, exitCode(records));
      JsonObject after = client.request(BridgeAddresses.LOG, TOKEN, log(run, new JsonObject().put("x", 1)));
      assertEquals(404, after.getInteger("failureCode"), after.encode());
    }
  }

  @Test
  void onlyThePrefixGoesThroughInEitherDirection() throws Exception {
    try (BridgeClient client = BridgeClient.connect(port)) {
      JsonObject kernel = client.request("rb.kernel.runs", TOKEN, new JsonObject());
      assertEquals("access_denied", kernel.getString("message"), kernel.encode());
      client.write(register("rb.run.any.handler", TOKEN));
      assertEquals("access_denied", client.read().getString("message"));
      client.write(register(BridgeAddresses.LOG, TOKEN));
      JsonObject served = client.read();
      assertEquals(400, served.getInteger("failureCode"), served.encode());
      JsonObject unknown = client.request("rb.bridge.nosuch", TOKEN, new JsonObject());
      assertEquals(404, unknown.getInteger("failureCode"), unknown.encode());

      // outbound under the prefix is allowed: a registered client receives what is published
      client.write(register("rb.bridge.events.test", TOKEN));
      JsonObject seen = null;
      for (int i = 0; i < 100 && seen == null; i++) { // register has no acknowledgement
        vertx.eventBus().publish("rb.bridge.events.test", new JsonObject().put("n", i));
        client.write(new JsonObject().put("type", "ping"));
        JsonObject frame = client.read();
        if ("message".equals(frame.getString("type"))) {
          seen = frame;
        }
      }
      assertTrue(seen != null, "nothing published on rb.bridge.events.test reached the client");
      assertEquals("rb.bridge.events.test", seen.getString("address"));
    }
  }

  private static JsonObject register(String address, String token) {
    return new JsonObject()
        .put("type", "register")
        .put("address", address)
        .put("headers", new JsonObject().put("token", token));
  }

  @Test
  void aMissingOrWrongTokenIsRefusedAndWritesNothing() throws Exception {
    try (BridgeClient client = BridgeClient.connect(port)) {
      JsonObject none = client.request(BridgeAddresses.INIT, null, new JsonObject().put("project", "p"));
      assertEquals(401, none.getInteger("failureCode"), none.encode());
      assertTrue(none.getString("message").startsWith("no token"), none.encode());
      JsonObject wrong = client.request(BridgeAddresses.INIT, "not-it", new JsonObject());
      assertEquals(401, wrong.getInteger("failureCode"), wrong.encode());
      assertTrue(wrong.getString("message").startsWith("wrong token"), wrong.encode());
      assertFalse(Files.exists(dataDir.resolve("wandb")), "a refused init created a run directory");

      // a row with the wrong token is not logged, even into a run opened with the right one
      String run = init(client).getString("run");
      client.call(BridgeAddresses.LOG, TOKEN, log(run, new JsonObject().put("a", 1)));
      JsonObject refused = client.request(BridgeAddresses.LOG, "not-it", log(run, new JsonObject().put("a", 2)));
      assertEquals(401, refused.getInteger("failureCode"), refused.encode());
      JsonObject finished = client.call(BridgeAddresses.FINISH, TOKEN, new JsonObject().put("run", run));
      List<Map<String, String>> history = RunLogs.history(RunLogs.records(logOf(finished)));
      assertEquals(List.of("1"), history.stream().map(r -> r.get("a")).toList());
    }
  }

  @Test
  void aBadValueIsRefusedWithTheJavaApisMessageAndEarlierRowsStay() throws Exception {
    Map<String, Object> reserved = Map.of("ok", 1, "_step", 3);
    String javaMessage = javaApiRefusal(reserved);
    try (BridgeClient client = BridgeClient.connect(port)) {
      String run = init(client).getString("run");
      client.call(BridgeAddresses.LOG, TOKEN, log(run, new JsonObject().put("ok", 1)));
      JsonObject refused = client.request(BridgeAddresses.LOG, TOKEN, log(run, new JsonObject(reserved)));
      assertEquals(400, refused.getInteger("failureCode"), refused.encode());
      assertEquals(javaMessage, refused.getString("message"));
      JsonObject deep = new JsonObject().put("v", 0);
      for (int i = 0; i < 150; i++) {
        deep = new JsonObject().put("v", deep);
      }
      JsonObject tooDeep = client.request(BridgeAddresses.LOG, TOKEN, log(run, new JsonObject().put("ok", 2).put("deep", deep)));
      assertEquals(400, tooDeep.getInteger("failureCode"), tooDeep.encode());
      assertEquals(
          javaApiRefusal(BridgeValues.map(new JsonObject().put("ok", 2).put("deep", deep), "row", 1 << 20)),
          tooDeep.getString("message"));
      JsonObject badStep = client.request(BridgeAddresses.LOG, TOKEN, log(run, new JsonObject().put("ok", 3)).put("step", "two"));
      assertEquals(400, badStep.getInteger("failureCode"), badStep.encode());
      client.call(BridgeAddresses.LOG, TOKEN, log(run, new JsonObject().put("ok", 4)));
      JsonObject finished = client.call(BridgeAddresses.FINISH, TOKEN, new JsonObject().put("run", run));

      List<Map<String, String>> history = RunLogs.history(RunLogs.records(logOf(finished)));
      assertEquals(List.of("1", "4"), history.stream().map(r -> r.get("ok")).toList());
      assertFalse(history.stream().anyMatch(r -> r.containsKey("deep")));
    }
  }

  /** What the Java API itself says of {@code row} (a disabled run checks exactly as a tracked one). */
  private static String javaApiRefusal(Map<String, ?> row) {
    try (Run run = Runbus.init(Settings.builder().mode(Mode.DISABLED).environment(Map.of()).build())) {
      return assertThrows(IllegalArgumentException.class, () -> run.log(row)).getMessage();
    }
  }

  @Test
  void aFrameTooLargeIsRefusedAndNothingOfItWritten() throws Exception {
    undeploy();
    deploy(new BridgeSessions.Limits(4, 4, 10_000), null);
    try (BridgeClient client = BridgeClient.connect(port)) {
      String run = init(client).getString("run");
      JsonObject big = client.request(BridgeAddresses.LOG, TOKEN,
          log(run, new JsonObject().put("small", 1).put("text", "x".repeat(20_000))));
      assertEquals(429, big.getInteger("failureCode"), big.encode());
      client.call(BridgeAddresses.LOG, TOKEN, log(run, new JsonObject().put("small", 2)));
      JsonObject finished = client.call(BridgeAddresses.FINISH, TOKEN, new JsonObject().put("run", run));
      List<Map<String, String>> history = RunLogs.history(RunLogs.records(logOf(finished)));
      assertEquals(List.of("2"), history.stream().map(r -> r.get("small")).toList());
    }
  }

  @Test
  void aRunsFramesApplyInTheOrderSentEvenUnanswered() throws Exception {
    try (BridgeClient client = BridgeClient.connect(port)) {
      String run = init(client).getString("run");
      int frames = 200;
      for (int i = 0; i < frames; i++) { // all written before any answer is read
        client.write(
            new JsonObject()
                .put("type", "send")
                .put("address", BridgeAddresses.LOG)
                .put("replyAddress", "r" + i)
                .put("headers", new JsonObject().put("token", TOKEN))
                .put("body", log(run, new JsonObject().put("i", i))));
      }
      int answered = 0;
      int busy = 0;
      for (int i = 0; i < frames; i++) {
        JsonObject answer = client.read();
        if ("message".equals(answer.getString("type"))) {
          answered++;
        } else {
          assertEquals(429, answer.getInteger("failureCode"), answer.encode()); // the bound
          busy++;
        }
      }
      assertEquals(frames, answered + busy);
      JsonObject finished = client.call(BridgeAddresses.FINISH, TOKEN, new JsonObject().put("run", run));
      List<Integer> logged =
          RunLogs.history(RunLogs.records(logOf(finished))).stream()
              .map(r -> Integer.parseInt(r.get("i")))
              .toList();
      assertEquals(answered, logged.size());
      assertEquals(logged.stream().sorted().toList(), logged, "rows applied out of order");
    }
  }

  @Test
  void aRunAnswersOnlyTheConnectionThatStartedIt() throws Exception {
    try (BridgeClient owner = BridgeClient.connect(port);
        BridgeClient other = BridgeClient.connect(port)) {
      String run = init(owner).getString("run");
      JsonObject refused = other.request(BridgeAddresses.LOG, TOKEN, log(run, new JsonObject().put("x", 1)));
      assertEquals(404, refused.getInteger("failureCode"), refused.encode());
      JsonObject finished = owner.call(BridgeAddresses.FINISH, TOKEN, new JsonObject().put("run", run));
      assertEquals(0, finished.getLong("history_rows"));
    }
  }

  @Test
  void aSocketClosedMidRunLeavesAFinishedLog() throws Exception {
    try (BridgeClient client = BridgeClient.connect(port)) {
      String run = init(client).getString("run");
      for (int i = 0; i < 3; i++) {
        client.call(BridgeAddresses.LOG, TOKEN, log(run, new JsonObject().put("i", i)));
      }
    } // closed without finish
    awaitNoOpenRun();
    List<Record> records = RunLogs.records(onlyLog());
    assertEquals(3, RunLogs.history(records).size());
    assertEquals(BridgeSessions.ABANDONED_EXIT_CODE, exitCode(records));
    assertEquals(List.of("exit", "summary", "final", "footer"), lastTypes(records));
  }

  @Test
  void stoppingTheBridgeFinishesItsOpenRuns() throws Exception {
    BridgeClient client = BridgeClient.connect(port);
    String run = init(client).getString("run");
    client.call(BridgeAddresses.LOG, TOKEN, log(run, new JsonObject().put("i", 0)));
    undeploy(); // with the client still connected
    List<Record> records = RunLogs.records(onlyLog());
    assertEquals(1, RunLogs.history(records).size());
    assertEquals(BridgeSessions.STOPPED_EXIT_CODE, exitCode(records));
    assertEquals(List.of("exit", "summary", "final", "footer"), lastTypes(records));
    client.close();
  }

  @Test
  void tlsWithASelfSignedCertificate() throws Exception {
    undeploy();
    SelfSignedCertificate cert = SelfSignedCertificate.create("localhost");
    try {
      deploy(BridgeSessions.Limits.DEFAULT, cert);
      try (BridgeClient client = BridgeClient.connectTls(port, Path.of(cert.certificatePath()))) {
        String run = init(client).getString("run");
        client.call(BridgeAddresses.LOG, TOKEN, log(run, new JsonObject().put("secure", 1)));
        JsonObject finished = client.call(BridgeAddresses.FINISH, TOKEN, new JsonObject().put("run", run));
        assertEquals(1, RunLogs.history(RunLogs.records(logOf(finished))).size());
      }
      try (BridgeClient plain = BridgeClient.connect(port)) { // TLS only: plain frames go nowhere
        assertThrows(Exception.class, () -> init(plain));
      }
    } finally {
      cert.delete();
    }
  }

  private void awaitNoOpenRun() throws InterruptedException {
    for (int i = 0; i < 600 && verticle.openRuns() > 0; i++) {
      Thread.sleep(50); // polling an outcome, not timing it
    }
    assertEquals(0, verticle.openRuns(), "the abandoned run was not finished");
  }

  private static int exitCode(List<Record> records) {
    return records.stream().filter(Record::hasExit).findFirst().orElseThrow().getExit().getExitCode();
  }

  private static List<String> lastTypes(List<Record> records) {
    List<String> types = RunLogs.types(records);
    return types.subList(types.size() - 4, types.size());
  }
}
