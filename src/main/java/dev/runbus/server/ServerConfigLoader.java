package dev.runbus.server;

import io.vertx.config.ConfigRetriever;
import io.vertx.config.ConfigRetrieverOptions;
import io.vertx.config.ConfigStoreOptions;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Resolves the server's settings: defaults, then {@code conf/server.json} (or the file given with
 * {@code --config}), then the environment ({@code RUNBUS_SERVER_HOST}, ...), then the command line.
 * vertx-config reads the file and the environment; the rest is plain code, so the rules are
 * testable without either.
 */
public final class ServerConfigLoader {

  /** Where the server looks for its file when none is given, relative to the working directory. */
  public static final Path DEFAULT_FILE = Path.of("conf", "server.json");

  static final String ENV_PREFIX = "RUNBUS_SERVER_";

  /** Every setting, by its name in the JSON file and on the command line's JSON. */
  enum Setting {
    HOST("host"),
    PORT("port"),
    DATA("data"),
    DB("db"),
    PUBLIC_URL("publicUrl"),
    MAX_BODY_BYTES("maxBodyBytes"),
    MAX_UPLOAD_BYTES("maxUploadBytes"),
    MAX_IN_FLIGHT_BYTES("maxInFlightBytes"),
    MAX_IN_FLIGHT_POSTS("maxInFlightPosts"),
    UPLOAD_URL_TTL_SECONDS("uploadUrlTtlSeconds"),
    DB_WORKERS("dbWorkers"),
    SHUTDOWN_TIMEOUT_SECONDS("shutdownTimeoutSeconds"),
    CRASH_AFTER_SECONDS("crashAfterSeconds"),
    USER("user");

    final String json;

    Setting(String json) {
      this.json = json;
    }

    String env() {
      return ENV_PREFIX + name();
    }
  }

  private ServerConfigLoader() {}

  /**
   * Reads the file (if {@code configFile} is null, {@link #DEFAULT_FILE} when it exists) and the
   * environment, then lays {@code commandLine} (settings by their JSON names) over them.
   */
  public static Future<ServerSettings> load(Vertx vertx, Path configFile, JsonObject commandLine) {
    List<ConfigStoreOptions> stores = new ArrayList<>();
    Path file = configFile != null ? configFile : DEFAULT_FILE;
    if (configFile != null && !Files.isRegularFile(configFile)) {
      return Future.failedFuture(
          new IllegalArgumentException("no configuration file at " + configFile));
    }
    // not an "optional" store: that would also swallow a file that is there but broken
    if (Files.isRegularFile(file)) {
      stores.add(
          new ConfigStoreOptions()
              .setType("file")
              .setFormat("json")
              .setConfig(new JsonObject().put("path", file.toString())));
    }
    JsonArray envNames = new JsonArray();
    for (Setting s : Setting.values()) {
      envNames.add(s.env());
    }
    stores.add(
        new ConfigStoreOptions()
            .setType("env")
            .setConfig(new JsonObject().put("keys", envNames).put("raw-data", true)));
    ConfigRetriever retriever =
        ConfigRetriever.create(
            vertx, new ConfigRetrieverOptions().setStores(stores).setScanPeriod(0));
    String fileName = file.toString();
    return retriever
        .getConfig()
        .recover(
            e ->
                Future.failedFuture(
                    new IllegalArgumentException(
                        fileName + " is not a JSON object: " + firstLine(e.getMessage()))))
        .map(merged -> resolve(merged, commandLine, fileName))
        .eventually(retriever::close);
  }

  /**
   * The settings from {@code merged} (the file's keys by JSON name, the environment's by variable
   * name) with {@code commandLine} over them.
   */
  static ServerSettings resolve(JsonObject merged, JsonObject commandLine, String fileName) {
    for (String key : merged.fieldNames()) {
      if (!key.startsWith(ENV_PREFIX) && find(key) == null) {
        throw new IllegalArgumentException(fileName + ": unknown setting '" + key + "'");
      }
    }
    Values v = new Values(merged, commandLine, fileName);
    ServerConfig defaults = ServerConfig.defaults(Path.of("runbus-data"));
    ServerLimits limits = ServerLimits.defaults();
    String host = v.string(Setting.HOST, defaults.host());
    int port = (int) v.number(Setting.PORT, defaults.port(), 0, 65535);
    Path data = Path.of(v.string(Setting.DATA, "runbus-data"));
    String db = v.string(Setting.DB, null);
    String publicUrl = v.string(Setting.PUBLIC_URL, null);
    if (publicUrl != null && !publicUrl.matches("(?i)https?://.+")) {
      throw new IllegalArgumentException(
          v.source(Setting.PUBLIC_URL) + ": not an http(s) URL: " + publicUrl);
    }
    ServerConfig config =
        new ServerConfig(
            host,
            port,
            data,
            db == null || db.isBlank() ? null : db,
            publicUrl,
            v.number(Setting.MAX_BODY_BYTES, defaults.maxBodyBytes(), 1024, Long.MAX_VALUE),
            v.number(Setting.MAX_UPLOAD_BYTES, defaults.maxUploadBytes(), 1, Long.MAX_VALUE));
    ServerLimits resolvedLimits =
        new ServerLimits(
            v.number(Setting.MAX_IN_FLIGHT_BYTES, limits.maxInFlightBytes(), 1, Long.MAX_VALUE),
            (int) v.number(Setting.MAX_IN_FLIGHT_POSTS, limits.maxInFlightPosts(), 1, 1_000_000),
            Duration.ofSeconds(
                v.number(
                    Setting.UPLOAD_URL_TTL_SECONDS,
                    limits.uploadUrlTtl().toSeconds(),
                    1,
                    365L * 24 * 3600)),
            (int) v.number(Setting.DB_WORKERS, limits.dbWorkers(), 1, 1024),
            Duration.ofSeconds(
                v.number(
                    Setting.SHUTDOWN_TIMEOUT_SECONDS,
                    limits.shutdownTimeout().toSeconds(),
                    0,
                    3600)),
            Duration.ofSeconds(
                v.number(
                    Setting.CRASH_AFTER_SECONDS,
                    limits.crashAfter().toSeconds(),
                    1,
                    30L * 24 * 3600)));
    String user = v.string(Setting.USER, ServerSettings.DEFAULT_FIRST_USER);
    return new ServerSettings(config, resolvedLimits, user);
  }

  private static Setting find(String jsonName) {
    for (Setting s : Setting.values()) {
      if (s.json.equals(jsonName)) {
        return s;
      }
    }
    return null;
  }

  private static String firstLine(String text) {
    if (text == null) {
      return "unreadable";
    }
    int nl = text.indexOf('\n');
    return nl < 0 ? text : text.substring(0, nl);
  }

  /** One setting's value from the highest source that has it, and that source's name. */
  private static final class Values {
    private final JsonObject merged;
    private final JsonObject commandLine;
    private final String fileName;

    Values(JsonObject merged, JsonObject commandLine, String fileName) {
      this.merged = merged;
      this.commandLine = commandLine == null ? new JsonObject() : commandLine;
      this.fileName = fileName;
    }

    Object raw(Setting s) {
      if (commandLine.getValue(s.json) != null) {
        return commandLine.getValue(s.json);
      }
      if (merged.getValue(s.env()) != null) {
        return merged.getValue(s.env());
      }
      return merged.getValue(s.json);
    }

    String source(Setting s) {
      if (commandLine.getValue(s.json) != null) {
        return "--" + s.json.replaceAll("([A-Z])", "-$1").toLowerCase(Locale.ROOT);
      }
      if (merged.getValue(s.env()) != null) {
        return s.env();
      }
      return fileName + ": " + s.json;
    }

    String string(Setting s, String fallback) {
      Object value = raw(s);
      if (value == null) {
        return fallback;
      }
      if (!(value instanceof String text)) {
        throw new IllegalArgumentException(source(s) + ": expected a string, got " + value);
      }
      return text;
    }

    long number(Setting s, long fallback, long min, long max) {
      Object value = raw(s);
      if (value == null) {
        return fallback;
      }
      long n;
      if (value instanceof Number number && number.doubleValue() == number.longValue()) {
        n = number.longValue();
      } else if (value instanceof String text && text.trim().matches("-?\\d{1,18}")) {
        n = Long.parseLong(text.trim());
      } else {
        throw new IllegalArgumentException(source(s) + ": expected a whole number, got " + value);
      }
      if (n < min || n > max) {
        throw new IllegalArgumentException(
            source(s) + ": " + n + " is out of range (" + min + " to " + max + ")");
      }
      return n;
    }
  }
}
