package dev.runbus.service;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ServiceConfigLoaderTest {

  private static ServiceConfig resolve(JsonObject file, JsonObject conf, Map<String, String> env) {
    return ServiceConfigLoader.resolve(file, "conf/runbus.json", conf, env);
  }

  private static String refusal(JsonObject file, JsonObject conf, Map<String, String> env) {
    return assertThrows(IllegalArgumentException.class, () -> resolve(file, conf, env)).getMessage();
  }

  @Test
  void defaultsListenOnLoopbackAndKeepTheTokenInTheDataDirectory() {
    ServiceConfig c = resolve(new JsonObject(), new JsonObject(), Map.of());
    assertEquals(ServiceConfig.defaults(Path.of("runbus-service")), c);
    assertEquals("127.0.0.1", c.grpc().host());
    assertEquals("127.0.0.1", c.bridge().host());
    assertNull(c.token());
    assertTrue(!c.online());
  }

  @Test
  void fileThenConfThenEnvironment() {
    JsonObject file =
        new JsonObject()
            .put("data", "/from-file")
            .put("grpc", new JsonObject().put("host", "10.0.0.1").put("port", 9000))
            .put("bridge", new JsonObject().put("port", 9001))
            .put("ranks", new JsonObject().put("max", 8).put("finishTimeoutMs", 1000))
            .put("baseUrl", "http://file:8080");
    JsonObject conf =
        new JsonObject()
            .put("data", "/from-conf")
            .put("grpc", new JsonObject().put("port", 9100))
            .put("ranks", new JsonObject().put("max", 16));
    Map<String, String> env =
        Map.of(
            "RUNBUS_SERVICE_GRPC_PORT", "9200",
            "RUNBUS_SERVICE_TOKEN", "s3cret",
            "WANDB_API_KEY", "key",
            "RUNBUS_SERVICE_MERGE_WINDOW_BYTES", "4096");
    ServiceConfig c = resolve(file, conf, env);
    assertEquals(Path.of("/from-conf"), c.dataDir(), "-conf over the file");
    assertEquals("10.0.0.1", c.grpc().host(), "-conf's grpc object merges into the file's");
    assertEquals(9200, c.grpc().port(), "environment over -conf");
    assertEquals(9001, c.bridge().port());
    assertEquals(16, c.maxRanks());
    assertEquals(Duration.ofSeconds(1), c.rankFinishTimeout(), "the file's, untouched above it");
    assertEquals(Duration.ofSeconds(30), c.stragglerTimeout(), "the default");
    assertEquals(4096, c.mergeWindowBytes());
    assertEquals("s3cret", c.token());
    assertTrue(c.online(), "baseUrl from the file, the key from WANDB_API_KEY");
  }

  @Test
  void aListenerSetToFalseIsOffUntilAHigherLayerTurnsItOn() {
    JsonObject file = new JsonObject().put("grpc", new JsonObject().put("port", 9000)).put("bridge", false);
    ServiceConfig off = resolve(file, new JsonObject().put("grpc", false), Map.of());
    assertNull(off.grpc());
    assertNull(off.bridge());
    ServiceConfig on =
        resolve(file, new JsonObject().put("grpc", false), Map.of("RUNBUS_SERVICE_BRIDGE_PORT", "9300"));
    assertEquals(new ServiceConfig.Listener("127.0.0.1", 9300, null, null), on.bridge());
    ServiceConfig envOff = resolve(file, new JsonObject(), Map.of("RUNBUS_SERVICE_GRPC", "off"));
    assertNull(envOff.grpc());
    ServiceConfig envOn = resolve(file, new JsonObject(), Map.of("RUNBUS_SERVICE_GRPC", "true"));
    assertEquals(9000, envOn.grpc().port(), "true keeps what lower layers said");
  }

  @Test
  void tlsNeedsBothExistingFiles(@TempDir Path dir) throws Exception {
    Path cert = Files.writeString(dir.resolve("cert.pem"), "x");
    Path key = Files.writeString(dir.resolve("key.pem"), "x");
    JsonObject tls = new JsonObject().put("cert", cert.toString()).put("key", key.toString());
    ServiceConfig c =
        resolve(new JsonObject().put("grpc", new JsonObject().put("tls", tls)), new JsonObject(), Map.of());
    assertTrue(c.grpc().tls());
    assertEquals(cert.toString(), c.grpc().certPath());

    String half =
        refusal(
            new JsonObject().put("bridge", new JsonObject().put("tls", new JsonObject().put("cert", cert.toString()))),
            new JsonObject(),
            Map.of());
    assertTrue(half.startsWith("conf/runbus.json: bridge.tls.cert is set but bridge.tls.key is not"), half);
    String missing =
        refusal(
            new JsonObject(),
            new JsonObject(),
            Map.of(
                "RUNBUS_SERVICE_GRPC_TLS_CERT", cert.toString(),
                "RUNBUS_SERVICE_GRPC_TLS_KEY", dir.resolve("nope.pem").toString()));
    assertTrue(missing.startsWith("RUNBUS_SERVICE_GRPC_TLS_KEY: no such file: "), missing);
  }

  @Test
  void badValuesNameTheirSourceKeyAndValue() {
    String range =
        refusal(new JsonObject().put("grpc", new JsonObject().put("port", 70000)), new JsonObject(), Map.of());
    assertEquals("conf/runbus.json: grpc.port: 70000 is out of range (0 to 65535)", range);
    String env = refusal(new JsonObject(), new JsonObject(), Map.of("RUNBUS_SERVICE_BRIDGE_PORT", "eighty"));
    assertEquals("RUNBUS_SERVICE_BRIDGE_PORT: expected a whole number, got 'eighty'", env);
    String conf =
        refusal(new JsonObject(), new JsonObject().put("ranks", new JsonObject().put("max", 0)), Map.of());
    assertEquals("-conf: ranks.max: 0 is out of range (1 to 1048576)", conf);
    String typo = refusal(new JsonObject(), new JsonObject().put("grcp", new JsonObject()), Map.of());
    assertEquals("-conf: unknown setting 'grcp'", typo);
    String nested =
        refusal(new JsonObject().put("grpc", new JsonObject().put("prot", 1)), new JsonObject(), Map.of());
    assertEquals("conf/runbus.json: unknown setting 'grpc.prot'", nested);
    String shape = refusal(new JsonObject().put("grpc", 7460), new JsonObject(), Map.of());
    assertEquals("conf/runbus.json: grpc: expected an object or false, got 7460", shape);
    String ranks = refusal(new JsonObject(), new JsonObject().put("ranks", false), Map.of());
    assertEquals("-conf: ranks: expected an object, got false", ranks);
    String type = refusal(new JsonObject().put("data", 5), new JsonObject(), Map.of());
    assertEquals("conf/runbus.json: data: expected a string, got 5", type);
    String token = refusal(new JsonObject(), new JsonObject(), Map.of("RUNBUS_SERVICE_TOKEN", " "));
    assertEquals("RUNBUS_SERVICE_TOKEN: the token is empty", token);
  }

  @Test
  void theShippedFileIsValidAndListensOnLoopback() throws Exception {
    JsonObject shipped = new JsonObject(Files.readString(Path.of("conf", "runbus.json")));
    ServiceConfig c = resolve(shipped, new JsonObject(), Map.of());
    assertEquals("127.0.0.1", c.grpc().host());
    assertEquals("127.0.0.1", c.bridge().host());
    assertEquals(ServiceConfig.defaults(Path.of("runbus-service")), c, "it documents the defaults");
  }

  @Test
  void readsTheFileThroughVertxConfigAndNamesABrokenOne(@TempDir Path dir) throws Exception {
    Vertx vertx = Vertx.vertx();
    try {
      Path file = Files.writeString(dir.resolve("runbus.json"), "{\"data\": \"filed\", \"bridge\": false}");
      ServiceConfig c =
          ServiceConfigLoader.load(vertx, file, new JsonObject().put("grpc", new JsonObject().put("port", 1)))
              .await(10, TimeUnit.SECONDS);
      assertEquals(Path.of("filed"), c.dataDir());
      assertNull(c.bridge());
      assertEquals(1, c.grpc().port());

      ServiceConfig none =
          ServiceConfigLoader.load(vertx, dir.resolve("absent.json"), new JsonObject()).await(10, TimeUnit.SECONDS);
      assertEquals(Path.of("runbus-service"), none.dataDir());

      Files.writeString(file, "{\"data\": ");
      Exception broken =
          assertThrows(
              Exception.class,
              () -> ServiceConfigLoader.load(vertx, file, new JsonObject()).await(10, TimeUnit.SECONDS));
      Throwable cause = broken instanceof ExecutionException ? broken.getCause() : broken;
      assertTrue(cause.getMessage().startsWith(file + " is not a JSON object"), cause.getMessage());
    } finally {
      vertx.close().await(10, TimeUnit.SECONDS);
    }
  }
}
