package dev.runbus.service;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.runbus.testing.ChildProcess;
import dev.runbus.testing.PackagedJar;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The service as users start it, in child JVMs: {@code java -jar runbus.jar service …} and
 * Vert.x's stock launcher deploying {@code dev.runbus.kernel.KernelVerticle} from the same jar.
 */
class ServiceJarIT {

  private static final Duration START = Duration.ofSeconds(90);
  /** How the JVM reports a SIGTERM it handled with its shutdown hooks: 128 + 15. */
  private static final int SIGTERM_EXIT = 143;

  @TempDir Path work;

  private static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    }
  }

  private static JsonObject listener(int port) {
    return new JsonObject().put("host", "127.0.0.1").put("port", port);
  }

  private static String java() {
    return Path.of(System.getProperty("java.home"), "bin", "java").toString();
  }

  private ChildProcess service(Map<String, String> env, String... args) throws IOException {
    List<String> all = new ArrayList<>(List.of("service"));
    all.addAll(List.of(args));
    return ChildProcess.in(work, PackagedJar.command(List.of("-Xmx256m"), all), env);
  }

  private static long readyLines(ChildProcess child) {
    return child.stdout().stream().filter(l -> l.startsWith(ServiceVerticle.READY)).count();
  }

  @Test
  void theServiceCommandPrintsOneReadyLineKeepsItsTokenOwnerOnlyAndStopsOnSigterm() throws Exception {
    Path data = work.resolve("data");
    int grpc = freePort();
    int bridge = freePort();
    JsonObject conf =
        new JsonObject().put("data", data.toString()).put("grpc", listener(grpc)).put("bridge", listener(bridge));
    try (ChildProcess child = service(Map.of(), "-conf", conf.encode())) {
      String ready = child.await(ServiceVerticle.READY, START);
      assertEquals(
          "gRPC on 127.0.0.1:" + grpc + ", bridge on 127.0.0.1:" + bridge + "; runs in " + data
              + "; token in " + data.resolve(ServiceToken.FILE),
          ready);
      Path token = data.resolve(ServiceToken.FILE);
      assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(token)));
      String secret = Files.readString(token).strip();
      assertEquals(64, secret.length());

      assertEquals(SIGTERM_EXIT, child.terminate(Duration.ofSeconds(60)), child.output());
      assertEquals(1, readyLines(child), child.output());
      assertFalse(child.output().contains(secret), "the token is never printed");
    }
    try (ChildProcess again = service(Map.of(), "-conf", conf.encode())) {
      again.await(ServiceVerticle.READY, START);
      assertEquals(SIGTERM_EXIT, again.terminate(Duration.ofSeconds(60)), again.output());
    }
    assertEquals(65, Files.readString(data.resolve(ServiceToken.FILE)).length(), "the same token");
  }

  @Test
  void settingsComeFromConfRunbusJsonThenConfThenTheEnvironment() throws Exception {
    Files.createDirectories(work.resolve("conf"));
    int filePort = freePort();
    int confPort = freePort();
    Files.writeString(
        work.resolve("conf").resolve("runbus.json"),
        new JsonObject()
            .put("data", "from-file")
            .put("grpc", listener(filePort))
            .put("bridge", listener(freePort()))
            .encodePrettily());
    JsonObject conf = new JsonObject().put("grpc", new JsonObject().put("port", confPort));
    try (ChildProcess child =
        service(
            Map.of("RUNBUS_SERVICE_BRIDGE", "false", "RUNBUS_SERVICE_TOKEN", "configured-token"),
            "-conf",
            conf.encode())) {
      String ready = child.await(ServiceVerticle.READY, START);
      assertEquals(
          "gRPC on 127.0.0.1:" + confPort + "; runs in " + work.resolve("from-file")
              + "; token from the configuration",
          ready);
      assertFalse(Files.exists(work.resolve("from-file").resolve(ServiceToken.FILE)));
      assertEquals(SIGTERM_EXIT, child.terminate(Duration.ofSeconds(60)), child.output());
      assertFalse(child.output().contains("configured-token"), "the token is never printed");
    }
  }

  @Test
  void aBadSettingStopsTheStartNamingKeyAndValue() throws Exception {
    try (ChildProcess child =
        service(Map.of(), "-conf", "{\"data\": \"d\", \"grpc\": {\"port\": 70000}}")) {
      int code = child.exitCode(START);
      assertNotEquals(0, code, child.output());
      assertTrue(
          child.stderr()
              .contains(
                  "runbus: the service did not start: -conf: grpc.port: 70000 is out of range (0 to 65535)"),
          child.output());
      assertFalse(Files.exists(work.resolve("d")), "nothing written");
    }
  }

  @Test
  void vertxsStockLauncherDeploysTheServiceByName() throws Exception {
    Path data = work.resolve("stock");
    int grpc = freePort();
    JsonObject conf = new JsonObject().put("data", data.toString()).put("grpc", listener(grpc)).put("bridge", false);
    List<String> command =
        List.of(
            java(), "-Xmx256m", "-cp", PackagedJar.path().toString(),
            "io.vertx.launcher.application.VertxApplication", "dev.runbus.kernel.KernelVerticle",
            "-conf", conf.encode());
    try (ChildProcess child = ChildProcess.in(work, command, Map.of())) {
      String ready = child.await(ServiceVerticle.READY, START);
      assertTrue(ready.startsWith("gRPC on 127.0.0.1:" + grpc + "; runs in " + data), ready);
      assertTrue(Files.isRegularFile(data.resolve(ServiceToken.FILE)));
      assertEquals(SIGTERM_EXIT, child.terminate(Duration.ofSeconds(60)), child.output());
      assertEquals(1, readyLines(child), child.output());
    }
  }

  @Test
  void clusteredTheServiceOpensTheAttachDoorAndHazelcastStaysQuiet() throws Exception {
    JsonObject conf =
        new JsonObject().put("data", work.resolve("c").toString()).put("grpc", false).put("bridge", false);
    try (ChildProcess child =
        service(Map.of(), "-cluster", "-cluster-host", "127.0.0.1", "-conf", conf.encode())) {
      String ready = child.await(ServiceVerticle.READY, START);
      assertTrue(ready.startsWith("cluster door as node "), ready);
      assertEquals(SIGTERM_EXIT, child.terminate(Duration.ofSeconds(60)), child.output());
      for (String line : child.stderr()) {
        assertFalse(line.startsWith("INFO: [") && line.contains("[5.3"), "Hazelcast INFO: " + line);
      }
    }
  }
}
