package dev.runbus.online;

import dev.runbus.testing.ChildProcess;
import dev.runbus.testing.FaultProxy;
import dev.runbus.testing.ReadApiClient;
import dev.runbus.testing.ServerKeys;
import dev.runbus.testing.ServerProcess;
import io.vertx.core.Vertx;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * What the online ITs run against: {@code runbus server} from the packaged jar on SQLite in its
 * own process, a key for {@link #USER}, and a {@link FaultProxy} in front of it that the client is
 * pointed at. The test reads the run back straight from the server, not through the proxy.
 */
final class OnlineServer implements AutoCloseable {
  static final String USER = "alice";
  static final String PROJECT = "online-it";

  private final Path data;
  private final ServerKeys.Issued key;
  private final Vertx vertx = Vertx.vertx();
  private final int port;
  private final FaultProxy proxy;
  private ServerProcess server;

  private OnlineServer(Path data, ServerKeys.Issued key, ServerProcess server, long stallMillis) {
    this.data = data;
    this.key = key;
    this.server = server;
    this.port = URI.create(server.url()).getPort();
    this.proxy = FaultProxy.start(vertx, port, stallMillis);
  }

  /** A server on a new data directory under {@code dir}; {@code stallMillis} for STALL faults. */
  static OnlineServer start(Path dir, long stallMillis) throws Exception {
    Path data = dir.resolve("server-data");
    Files.createDirectories(data);
    ServerKeys.Issued key = ServerKeys.create(data, USER);
    return new OnlineServer(data, key, ServerProcess.start(data, null), stallMillis);
  }

  Path data() {
    return data;
  }

  ServerKeys.Issued key() {
    return key;
  }

  FaultProxy proxy() {
    return proxy;
  }

  /** Where the client goes: the proxy. */
  String clientUrl() {
    return "http://127.0.0.1:" + proxy.port();
  }

  /** The server itself, not through the proxy. */
  String serverUrl() {
    return server.url();
  }

  ReadApiClient reader(String runId) {
    return reader(runId, key.key());
  }

  ReadApiClient reader(String runId, String apiKey) {
    return new ReadApiClient(serverUrl(), apiKey, USER, PROJECT, runId);
  }

  /**
   * {@link OnlineChild} logging to {@code baseUrl} (the proxy, the server, or {@code -} for
   * offline) with this server's key.
   */
  ChildProcess child(
      Path runDir, String runId, int metrics, String baseUrl, List<String> jvm, Duration finishTimeout)
      throws Exception {
    return ChildProcess.java(
        jvm,
        OnlineChild.class,
        runDir.toString(),
        baseUrl,
        key.key(),
        PROJECT,
        runId,
        String.valueOf(metrics),
        String.valueOf(finishTimeout.toSeconds()));
  }

  /** {@code runbus sync} through the packaged jar, to the proxy, with {@code apiKey}. */
  ChildProcess sync(String apiKey, String... args) throws Exception {
    String[] command = new String[args.length + 5];
    command[0] = "sync";
    command[1] = "--base-url";
    command[2] = clientUrl();
    command[3] = "--api-key";
    command[4] = apiKey;
    System.arraycopy(args, 0, command, 5, args.length);
    return ChildProcess.jar(Map.of(), command);
  }

  /** SIGKILL, then after {@code down} the same server on the same port and data. */
  void killAndRestartAfter(Duration down) throws Exception {
    server.kill();
    Thread.sleep(down.toMillis());
    server =
        ServerProcess.start(
            data.getParent(), Map.of(), "--port", String.valueOf(port), "--data", data.toString());
  }

  @Override
  public void close() {
    try {
      proxy.close();
      vertx.close().await();
    } finally {
      try {
        server.close();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }
}
