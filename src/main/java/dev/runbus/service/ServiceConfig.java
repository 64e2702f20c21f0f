package dev.runbus.service;

import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import java.time.Duration;

/**
 * Everything a runbus service is configured with, resolved (defaults, then {@code
 * conf/runbus.json}, then {@code -conf}, then environment; see {@code ServiceConfigLoader}). Every
 * listener binds to loopback unless told otherwise, and every transport needs the token.
 *
 * @param dataDir where hosted runs live ({@code <dataDir>/wandb/run-…}) and the token is kept
 * @param token the token clients must present; null: the one kept in {@code dataDir}, created at
 *     the first start
 * @param grpc the gRPC listener; null: none
 * @param bridge the TCP event-bus bridge's listener; null: none
 * @param baseUrl, apiKey: hosted runs go online to this server when both are set
 * @param rankFinishTimeout how long the primary's finish waits for the other ranks
 * @param stragglerTimeout how long the coordinator holds the other ranks' rows for one that sends
 *     nothing before it commits without it
 * @param mergeWindowBytes rows the coordinator holds while they wait for every rank's step; a rank
 *     whose batch would not fit waits (its client is held back)
 * @param maxRanks the most ranks one run takes
 */
public record ServiceConfig(
    Path dataDir,
    String token,
    Listener grpc,
    Listener bridge,
    String baseUrl,
    String apiKey,
    Duration rankFinishTimeout,
    Duration stragglerTimeout,
    long mergeWindowBytes,
    int maxRanks) {

  public static final String DEFAULT_HOST = "127.0.0.1";
  public static final int DEFAULT_GRPC_PORT = 7460;
  public static final int DEFAULT_BRIDGE_PORT = 7461;

  /**
   * A listener.
   *
   * @param certPath, keyPath PEM files; both null: plain TCP
   */
  public record Listener(String host, int port, String certPath, String keyPath) {
    public boolean tls() {
      return certPath != null && keyPath != null;
    }

    public JsonObject toJson() {
      JsonObject json = new JsonObject().put("host", host).put("port", port);
      if (tls()) {
        json.put("tls", new JsonObject().put("cert", certPath).put("key", keyPath));
      }
      return json;
    }
  }

  public static ServiceConfig defaults(Path dataDir) {
    return new ServiceConfig(
        dataDir,
        null,
        new Listener(DEFAULT_HOST, DEFAULT_GRPC_PORT, null, null),
        new Listener(DEFAULT_HOST, DEFAULT_BRIDGE_PORT, null, null),
        null,
        null,
        Duration.ofMinutes(5),
        Duration.ofSeconds(30),
        defaultMergeWindowBytes(),
        1024);
  }

  /**
   * An eighth of the heap, at most 64 MiB: what the window holds is estimated, and the rows'
   * objects, the records behind them and the batches in flight come on top of it.
   */
  public static long defaultMergeWindowBytes() {
    return Math.max(1L << 20, Math.min(64L << 20, Runtime.getRuntime().maxMemory() / 8));
  }

  /** Hosted runs go online only when the service knows a server and its key. */
  public boolean online() {
    return baseUrl != null && !baseUrl.isEmpty() && apiKey != null && !apiKey.isEmpty();
  }

  public ServiceConfig withGrpc(Listener listener) {
    return new ServiceConfig(
        dataDir, token, listener, bridge, baseUrl, apiKey, rankFinishTimeout, stragglerTimeout,
        mergeWindowBytes, maxRanks);
  }

  public ServiceConfig withBridge(Listener listener) {
    return new ServiceConfig(
        dataDir, token, grpc, listener, baseUrl, apiKey, rankFinishTimeout, stragglerTimeout,
        mergeWindowBytes, maxRanks);
  }

  public ServiceConfig withToken(String token) {
    return new ServiceConfig(
        dataDir, token, grpc, bridge, baseUrl, apiKey, rankFinishTimeout, stragglerTimeout,
        mergeWindowBytes, maxRanks);
  }

  public ServiceConfig withRankTimeouts(Duration finish, Duration straggler) {
    return new ServiceConfig(
        dataDir, token, grpc, bridge, baseUrl, apiKey, finish, straggler, mergeWindowBytes,
        maxRanks);
  }

  public ServiceConfig withMergeWindowBytes(long bytes) {
    return new ServiceConfig(
        dataDir, token, grpc, bridge, baseUrl, apiKey, rankFinishTimeout, stragglerTimeout, bytes,
        maxRanks);
  }
}
