package dev.runbus.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ServerConfigLoaderTest {

  @Test
  void defaultsListenOnLoopback() {
    ServerSettings s = ServerConfigLoader.resolve(new JsonObject(), new JsonObject(), "f");
    assertEquals("127.0.0.1", s.config().host());
    assertEquals(8080, s.config().port());
    assertEquals(Path.of("runbus-data"), s.config().dataDirectory());
    assertNull(s.config().jdbcUrl());
    assertEquals("admin", s.firstUser());
    assertEquals(ServerLimits.defaults(), s.limits());
  }

  @Test
  void fileThenEnvironmentThenCommandLine() {
    JsonObject merged =
        new JsonObject()
            .put("host", "0.0.0.0")
            .put("port", 9000)
            .put("data", "/from-file")
            .put("maxInFlightPosts", 5)
            .put("RUNBUS_SERVER_PORT", "9100")
            .put("RUNBUS_SERVER_DATA", "/from-env")
            .put("RUNBUS_SERVER_UPLOAD_URL_TTL_SECONDS", "60");
    JsonObject cli = new JsonObject().put("data", "/from-cli").putNull("port");
    ServerSettings s = ServerConfigLoader.resolve(merged, cli, "server.json");
    assertEquals("0.0.0.0", s.config().host(), "file over default");
    assertEquals(9100, s.config().port(), "environment over file; an absent option changes nothing");
    assertEquals(Path.of("/from-cli"), s.config().dataDirectory(), "command line over all");
    assertEquals(5, s.limits().maxInFlightPosts());
    assertEquals(Duration.ofSeconds(60), s.limits().uploadUrlTtl());
  }

  @Test
  void badValuesAreNamedWithTheirSource() {
    IllegalArgumentException env =
        assertThrows(
            IllegalArgumentException.class,
            () ->
                ServerConfigLoader.resolve(
                    new JsonObject().put("RUNBUS_SERVER_PORT", "eighty"), null, "server.json"));
    assertTrue(env.getMessage().startsWith("RUNBUS_SERVER_PORT"), env.getMessage());
    IllegalArgumentException range =
        assertThrows(
            IllegalArgumentException.class,
            () -> ServerConfigLoader.resolve(new JsonObject().put("port", 70000), null, "server.json"));
    assertTrue(range.getMessage().contains("server.json: port"), range.getMessage());
    IllegalArgumentException typo =
        assertThrows(
            IllegalArgumentException.class,
            () -> ServerConfigLoader.resolve(new JsonObject().put("prot", 1), null, "server.json"));
    assertTrue(typo.getMessage().contains("unknown setting 'prot'"), typo.getMessage());
    IllegalArgumentException cli =
        assertThrows(
            IllegalArgumentException.class,
            () ->
                ServerConfigLoader.resolve(
                    new JsonObject(), new JsonObject().put("maxInFlightPosts", 0), "f"));
    assertTrue(cli.getMessage().startsWith("--max-in-flight-posts"), cli.getMessage());
  }

  @Test
  void readsTheFileThroughVertxConfig(@TempDir Path dir) throws Exception {
    Path file = dir.resolve("server.json");
    Files.writeString(file, "{\"port\": 9001, \"user\": \"ops\"}");
    Vertx vertx = Vertx.vertx();
    try {
      ServerSettings s =
          ServerConfigLoader.load(vertx, file, new JsonObject().put("host", "::1"))
              .await(20, TimeUnit.SECONDS);
      assertEquals(9001, s.config().port());
      assertEquals("ops", s.firstUser());
      assertEquals("::1", s.config().host());
      assertEquals("http://[::1]:9001", s.baseUrl(9001));

      Files.writeString(file, "{\"port\": ");
      Exception broken =
          assertThrows(
              Exception.class,
              () -> ServerConfigLoader.load(vertx, file, null).await(20, TimeUnit.SECONDS));
      assertTrue(broken.getMessage().contains("server.json"), broken.getMessage());

      Exception missing =
          assertThrows(
              Exception.class,
              () ->
                  ServerConfigLoader.load(vertx, dir.resolve("nope.json"), null)
                      .await(20, TimeUnit.SECONDS));
      assertTrue(missing.getMessage().contains("nope.json"), missing.getMessage());
    } finally {
      vertx.close().await(10, TimeUnit.SECONDS);
    }
  }
}
