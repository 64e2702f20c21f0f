package dev.runbus.server;

import java.nio.file.Path;

/**
 * Everything the server is configured with, resolved: defaults, then {@code conf/server.json},
 * then environment ({@code RUNBUS_SERVER_*}), then the command line (see ServerConfigLoader).
 *
 * @param jdbcUrl null for SQLite in {@code dataDirectory}
 * @param publicUrl the base URL clients reach this server at (upload URLs point there); null for
 *     {@code http://host:port}
 * @param maxBodyBytes the largest request body accepted, file uploads aside
 * @param maxUploadBytes the largest file upload accepted
 */
public record ServerConfig(
    String host,
    int port,
    Path dataDirectory,
    String jdbcUrl,
    String publicUrl,
    long maxBodyBytes,
    long maxUploadBytes) {

  public static final String DEFAULT_HOST = "127.0.0.1";
  public static final int DEFAULT_PORT = 8080;
  /** W&B's FileStream requests are at most about 10 MiB; leave room for JSON escaping. */
  public static final long DEFAULT_MAX_BODY_BYTES = 32L << 20;
  public static final long DEFAULT_MAX_UPLOAD_BYTES = 1L << 30;

  public static ServerConfig defaults(Path dataDirectory) {
    return new ServerConfig(
        DEFAULT_HOST,
        DEFAULT_PORT,
        dataDirectory,
        null,
        null,
        DEFAULT_MAX_BODY_BYTES,
        DEFAULT_MAX_UPLOAD_BYTES);
  }
}
