package dev.runbus.service;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.runbus.cluster.ClusterSetup;
import dev.runbus.cluster.RankWorker;
import dev.runbus.cluster.TestClusters;
import dev.runbus.proto.AttachRequest;
import dev.runbus.proto.RankIdentity;
import dev.runbus.proto.RunRecord;
import dev.runbus.service.bridge.BridgeAddresses;
import dev.runbus.service.grpc.GrpcCallException;
import dev.runbus.service.grpc.GrpcRunClient;
import dev.runbus.testing.ChildProcess;
import dev.runbus.testing.PackagedJar;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.grpc.common.GrpcStatus;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * One packaged service ({@code java -jar runbus.jar service -cluster}, gRPC and the bridge on free
 * loopback ports, its token made at its first start): a wrong or missing token is refused on
 * every transport, with an error that says why, and nothing is written. The right token then
 * works on each, so the refusals were the token's doing.
 */
class TransportTokensJarIT {

  private static final Duration SLOW = Duration.ofMinutes(3);
  private static final String WRONG = "not-the-service-token";
  private static final Path EXAMPLES = Path.of("examples/python").toAbsolutePath();

  @TempDir Path dir;

  private Vertx vertx;
  private GrpcRunClient client; // a field: Vert.x reclaims unreachable clients
  private ChildProcess service;
  private final List<ChildProcess> ranks = new ArrayList<>();
  private Path xml;

  @BeforeEach
  void start() {
    vertx = Vertx.vertx();
  }

  @AfterEach
  void stop() throws Exception {
    ranks.forEach(ChildProcess::close);
    if (service != null) {
      service.close();
    }
    if (client != null) {
      client.close();
    }
    vertx.close().await(30, TimeUnit.SECONDS);
  }

  private static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    }
  }

  private static JsonObject listener(int port) {
    return new JsonObject().put("host", "127.0.0.1").put("port", port);
  }

  /** Every file and directory under {@code root}, relative to it. */
  private static List<String> files(Path root) throws IOException {
    try (Stream<Path> all = Files.walk(root)) {
      return all.filter(p -> !p.equals(root)).map(p -> root.relativize(p).toString()).sorted().toList();
    }
  }

  @Test
  void aWrongOrMissingTokenIsRefusedOnEveryTransportAndNothingIsWritten() throws Exception {
    xml = TestClusters.write(dir.resolve("cluster"));
    Path data = dir.resolve("data");
    int grpc = freePort();
    int bridge = freePort();
    JsonObject conf =
        new JsonObject().put("data", data.toString()).put("grpc", listener(grpc)).put("bridge", listener(bridge));
    Path work = Files.createDirectories(dir.resolve("work"));
    service =
        ChildProcess.in(
            work,
            PackagedJar.command(List.of("-Xmx384m"), List.of("service", "-cluster", "-conf", conf.encode())),
            Map.of(ClusterSetup.CONFIG_VARIABLE, xml.toString()));
    String ready = service.await(ServiceVerticle.READY, SLOW);
    assertTrue(ready.contains("cluster door as node "), ready);
    String token = Files.readString(data.resolve(ServiceToken.FILE)).strip();
    List<String> started = files(data);
    assertEquals(List.of(ServiceToken.FILE), started, "what the start itself keeps");

    // the cluster: rank JVMs attaching with a wrong token and with none, side by side
    ChildProcess wrongRank = rank("wrong1", WRONG);
    ChildProcess noTokenRank = rank("none1", null);
    String wrongRefusal = outcome(wrongRank);
    assertTrue(wrongRefusal.startsWith("failed ") && wrongRefusal.contains("wrong token"), wrongRank.output());
    String noTokenRefusal = outcome(noTokenRank);
    assertTrue(noTokenRefusal.startsWith("failed ") && noTokenRefusal.contains("no token"), noTokenRank.output());

    // gRPC: no bearer token, a wrong one, and the right token in the request but not the metadata
    for (String presented : new String[] {null, WRONG}) {
      client = GrpcRunClient.connect(vertx, "127.0.0.1", grpc, presented, null);
      String why = presented == null ? "no token" : "wrong token";
      GrpcCallException refused = failure(client.attach(attach("grpc1", "")));
      assertEquals(GrpcStatus.UNAUTHENTICATED, refused.status(), refused.getMessage());
      assertTrue(refused.getMessage().contains(why), refused.getMessage());
      refused = failure(client.attach(attach("grpc1", token)));
      assertEquals(GrpcStatus.UNAUTHENTICATED, refused.status(), refused.getMessage());
      refused = failure(client.runStart("grpc1", 0));
      assertEquals(GrpcStatus.UNAUTHENTICATED, refused.status(), refused.getMessage());
      client.close();
      client = null;
    }

    // the bridge: raw frames without a token and with a wrong one, and the Python client's error
    try (Socket socket = new Socket("127.0.0.1", bridge)) {
      socket.setSoTimeout(30_000);
      JsonObject none = initFrame(socket, null);
      assertEquals("err", none.getString("type"), none.encode());
      assertEquals(401, none.getInteger("failureCode"), none.encode());
      assertTrue(none.getString("message").startsWith("no token"), none.encode());
      JsonObject wrong = initFrame(socket, WRONG);
      assertEquals("err", wrong.getString("type"), wrong.encode());
      assertEquals(401, wrong.getInteger("failureCode"), wrong.encode());
      assertTrue(wrong.getString("message").startsWith("wrong token"), wrong.encode());
    }
    String python =
        python(
            bridge,
            WRONG,
            "from runbus_bridge import Run, BridgeError\n"
                + "try:\n"
                + "    Run(project='intruder')\n"
                + "except BridgeError as e:\n"
                + "    print('refused', e.code, e.message)\n");
    assertTrue(python.startsWith("refused 401 wrong token"), python);

    assertEquals(started, files(data), "a refused client wrote something");

    // the right token passes on each transport, so what refused them was the token
    ChildProcess rightRank = rank("right1", token, "10");
    assertTrue(rightRank.await("finished ", SLOW).startsWith("10 rows in " + data), rightRank.output());
    client = GrpcRunClient.connect(vertx, "127.0.0.1", grpc, token, null);
    assertEquals("grpc1", client.attach(attach("grpc1", "")).await(60, TimeUnit.SECONDS).getRunId());
    try (Socket socket = new Socket("127.0.0.1", bridge)) {
      socket.setSoTimeout(30_000);
      JsonObject answer = initFrame(socket, token);
      assertEquals("message", answer.getString("type"), answer.encode());
    }
    assertEquals(143, service.terminate(SLOW), service.output());
  }

  /** The line a rank ends with ("finished …" or "failed …"), once it exited by itself. */
  private static String outcome(ChildProcess rank) throws InterruptedException {
    assertEquals(0, rank.exitCode(SLOW), rank.output());
    return rank.stdout().stream()
        .filter(l -> l.startsWith("finished ") || l.startsWith("failed "))
        .findFirst()
        .orElseThrow(() -> new AssertionError("the rank said neither finished nor failed:\n" + rank.output()));
  }

  /** A rank JVM attaching run {@code runId} through the environment; {@code token} null: none. */
  private ChildProcess rank(String runId, String token, String... rows) throws IOException {
    Map<String, String> env = new HashMap<>();
    env.put("RUNBUS_ATTACH", "cluster");
    env.put("WANDB_RUN_ID", runId);
    env.put(ClusterSetup.CONFIG_VARIABLE, xml.toString());
    if (token != null) {
      env.put("RUNBUS_SERVICE_TOKEN", token);
    }
    List<String> jvm = new ArrayList<>(TestClusters.JVM_OPENS);
    jvm.add("-Xmx256m");
    ChildProcess rank = ChildProcess.java(env, jvm, RankWorker.class, rows.length == 0 ? "10" : rows[0]);
    ranks.add(rank);
    return rank;
  }

  private static AttachRequest attach(String runId, String tokenInRequest) {
    return AttachRequest.newBuilder()
        .setRunId(runId)
        .setCreate(true)
        .setToken(tokenInRequest)
        .setRank(RankIdentity.newBuilder().setRank(0).setWorldSize(1).setHost("it"))
        .setRun(RunRecord.newBuilder().setProject("tokens"))
        .build();
  }

  private static GrpcCallException failure(Future<?> call) throws InterruptedException {
    try {
      call.await(60, TimeUnit.SECONDS);
    } catch (GrpcCallException e) {
      return e;
    } catch (Exception e) {
      throw new AssertionError("the call failed without a gRPC status: " + e, e);
    }
    throw new AssertionError("the call succeeded; expected UNAUTHENTICATED");
  }

  /** Sends an init frame (with {@code token} in its headers unless null); returns the answer. */
  private static JsonObject initFrame(Socket socket, String token) throws IOException {
    JsonObject frame =
        new JsonObject()
            .put("type", "send")
            .put("address", BridgeAddresses.INIT)
            .put("replyAddress", "it.reply")
            .put("body", new JsonObject().put("project", "intruder"));
    if (token != null) {
      frame.put("headers", new JsonObject().put("token", token));
    }
    byte[] json = frame.encode().getBytes(StandardCharsets.UTF_8);
    DataOutputStream out = new DataOutputStream(socket.getOutputStream());
    out.writeInt(json.length);
    out.write(json);
    out.flush();
    DataInputStream in = new DataInputStream(socket.getInputStream());
    byte[] answer = new byte[in.readInt()];
    in.readFully(answer);
    return new JsonObject(new String(answer, StandardCharsets.UTF_8));
  }

  /** {@code python3 -c script} with the example client on its path; its output. */
  private String python(int port, String token, String script) throws Exception {
    Path out = dir.resolve("python.txt");
    ProcessBuilder python =
        new ProcessBuilder("python3", "-c", script)
            .directory(dir.toFile())
            .redirectErrorStream(true)
            .redirectOutput(out.toFile());
    python.environment().put("RUNBUS_BRIDGE_PORT", Integer.toString(port));
    python.environment().put("RUNBUS_SERVICE_TOKEN", token);
    python.environment().put("PYTHONPATH", EXAMPLES.toString());
    python.environment().put("PYTHONDONTWRITEBYTECODE", "1");
    Process process = python.start();
    assertTrue(process.waitFor(120, TimeUnit.SECONDS), "python3 did not end in 120 s");
    String text = Files.readString(out, StandardCharsets.UTF_8);
    assertEquals(0, process.exitValue(), text);
    return text;
  }
}
