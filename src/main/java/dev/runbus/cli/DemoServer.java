package dev.runbus.cli;

import dev.runbus.server.RunbusServer;
import dev.runbus.server.ServerSettings;
import dev.runbus.server.store.Accounts;
import dev.runbus.server.store.ServerStore;
import io.vertx.core.Vertx;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/**
 * {@code demo --online} with no server configured: a {@code runbus server} in this JVM, on a free
 * loopback port, with its data in a new temporary directory and a key made for the demo. The data
 * stays when the demo ends, so the run can be looked at by starting a server on it.
 */
final class DemoServer implements AutoCloseable {

  private final Vertx vertx;
  private final ServerStore store;
  private final RunbusServer server;
  private final Path data;
  private final String apiKey;

  private DemoServer(Vertx vertx, ServerStore store, RunbusServer server, Path data, String key) {
    this.vertx = vertx;
    this.store = store;
    this.server = server;
    this.data = data;
    this.apiKey = key;
  }

  static DemoServer start() throws Exception {
    Path data = Files.createTempDirectory("runbus-demo-server-");
    Vertx vertx = Vertx.vertx();
    ServerStoreOptions options = new ServerStoreOptions();
    options.data = data;
    try {
      ServerSettings settings =
          ServerStoreOptions.settings(
              vertx,
              options,
              options.toJson().put("host", "127.0.0.1").put("port", 0).put("user", "demo"));
      ServerStore store = ServerStoreOptions.open(settings);
      RunbusServer server;
      try {
        server = RunbusServer.start(vertx, settings, store).await(60, TimeUnit.SECONDS);
      } catch (Exception e) {
        store.close();
        throw e;
      }
      Accounts.IssuedKey key = store.accounts().createKey("demo");
      return new DemoServer(vertx, store, server, data, key.key());
    } catch (Exception e) {
      vertx.close();
      throw e;
    }
  }

  String baseUrl() {
    return server.baseUrl();
  }

  String apiKey() {
    return apiKey;
  }

  Path data() {
    return data;
  }

  @Override
  public void close() throws Exception {
    try {
      server.stop().await(30, TimeUnit.SECONDS);
      store.close();
    } finally {
      vertx.close().await(30, TimeUnit.SECONDS);
    }
  }
}
