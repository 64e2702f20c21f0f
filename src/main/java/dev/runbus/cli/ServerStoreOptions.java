package dev.runbus.cli;

import dev.runbus.server.ServerConfigLoader;
import dev.runbus.server.ServerSettings;
import dev.runbus.server.store.ServerStore;
import dev.runbus.server.store.ServerStores;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine.Option;

/** Where the server's data lives: the options {@code server} and {@code server key} share. */
final class ServerStoreOptions {

  @Option(
      names = "--data",
      paramLabel = "DIR",
      description = "Data directory: the SQLite database, uploaded files (default: ./runbus-data).")
  Path data;

  @Option(
      names = "--db",
      paramLabel = "JDBC-URL",
      description = "A database instead of SQLite in --data, e.g. jdbc:postgresql://host/db.")
  String db;

  @Option(
      names = "--config",
      paramLabel = "FILE",
      description = "Settings file (default: conf/server.json, if there is one).")
  Path config;

  /** These options were given, else {@code outer}'s ({@code server --data X key list}). */
  ServerStoreOptions or(ServerStoreOptions outer) {
    ServerStoreOptions merged = new ServerStoreOptions();
    merged.data = data != null || outer == null ? data : outer.data;
    merged.db = db != null || outer == null ? db : outer.db;
    merged.config = config != null || outer == null ? config : outer.config;
    return merged;
  }

  JsonObject toJson() {
    return new JsonObject()
        .put("data", data == null ? null : data.toString())
        .put("db", db);
  }

  /** The file, the environment and {@code commandLine}, resolved; blocks (the CLI's thread). */
  static ServerSettings settings(Vertx vertx, ServerStoreOptions options, JsonObject commandLine) {
    try {
      return ServerConfigLoader.load(vertx, options.config, commandLine).await(30, TimeUnit.SECONDS);
    } catch (IllegalArgumentException e) {
      throw e;
    } catch (Exception e) {
      throw new IllegalArgumentException("cannot read the settings: " + e.getMessage(), e);
    }
  }

  /** Opens (and migrates) the database; a failure becomes one line for the user. */
  static ServerStore open(ServerSettings settings) {
    try {
      return ServerStores.open(settings.config());
    } catch (RuntimeException e) {
      throw new IllegalArgumentException(
          "cannot open the database (" + where(settings) + "): " + e.getMessage(), e);
    }
  }

  static String describe(ServerStore store, ServerSettings settings) {
    String kind = store.databaseKind();
    String name =
        switch (kind.toLowerCase(Locale.ROOT)) {
          case "sqlite" -> "SQLite";
          case "postgresql" -> "PostgreSQL";
          default -> kind;
        };
    return name + " " + where(settings);
  }

  private static String where(ServerSettings settings) {
    String jdbc = settings.config().jdbcUrl();
    return jdbc == null
        ? "in " + settings.config().dataDirectory()
        : ServerCommand.redactJdbcUrl(jdbc);
  }
}
