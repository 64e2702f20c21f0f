package dev.runbus.service;

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
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Resolves a service's {@link ServiceConfig}: defaults, then {@code conf/runbus.json} in the
 * working directory (when there is one), then the deployment's {@code config()} (what the
 * launcher's {@code -conf} gives), then the environment ({@code RUNBUS_SERVICE_*}, {@code
 * WANDB_BASE_URL}, {@code WANDB_API_KEY}). vertx-config reads the file and the environment; the
 * layering and the checks are plain code ({@link #resolve}), testable without either.
 *
 * <p>The JSON shape: {@code {"data", "token", "grpc": {"host", "port", "tls": {"cert", "key"}} |
 * false, "bridge": {…} | false, "ranks": {"finishTimeoutMs", "stragglerTimeoutMs",
 * "mergeWindowBytes", "max"}, "baseUrl", "apiKey"}}. A bad value fails with a message naming where
 * it came from, the key and the value.
 */
public final class ServiceConfigLoader {

  /** Where the service looks for its file, relative to the working directory. */
  public static final Path DEFAULT_FILE = Path.of("conf", "runbus.json");

  /** The default data directory, relative to the working directory. */
  public static final Path DEFAULT_DATA = Path.of("runbus-service");

  /** Every environment variable read, and the key it sets. */
  static final Map<String, String> ENVIRONMENT = environment();

  private static final List<String> TOP = List.of("data", "token", "grpc", "bridge", "ranks", "baseUrl", "apiKey");
  private static final List<String> LISTENER = List.of("host", "port", "tls");
  private static final List<String> TLS = List.of("cert", "key");
  private static final List<String> RANKS =
      List.of("finishTimeoutMs", "stragglerTimeoutMs", "mergeWindowBytes", "max");

  private ServiceConfigLoader() {}

  private static Map<String, String> environment() {
    Map<String, String> env = new LinkedHashMap<>();
    env.put("RUNBUS_SERVICE_DATA", "data");
    env.put("RUNBUS_SERVICE_TOKEN", "token");
    env.put("RUNBUS_SERVICE_GRPC", "grpc");
    env.put("RUNBUS_SERVICE_GRPC_HOST", "grpc.host");
    env.put("RUNBUS_SERVICE_GRPC_PORT", "grpc.port");
    env.put("RUNBUS_SERVICE_GRPC_TLS_CERT", "grpc.tls.cert");
    env.put("RUNBUS_SERVICE_GRPC_TLS_KEY", "grpc.tls.key");
    env.put("RUNBUS_SERVICE_BRIDGE", "bridge");
    env.put("RUNBUS_SERVICE_BRIDGE_HOST", "bridge.host");
    env.put("RUNBUS_SERVICE_BRIDGE_PORT", "bridge.port");
    env.put("RUNBUS_SERVICE_BRIDGE_TLS_CERT", "bridge.tls.cert");
    env.put("RUNBUS_SERVICE_BRIDGE_TLS_KEY", "bridge.tls.key");
    env.put("RUNBUS_SERVICE_RANK_FINISH_TIMEOUT_MS", "ranks.finishTimeoutMs");
    env.put("RUNBUS_SERVICE_RANK_STRAGGLER_TIMEOUT_MS", "ranks.stragglerTimeoutMs");
    env.put("RUNBUS_SERVICE_MERGE_WINDOW_BYTES", "ranks.mergeWindowBytes");
    env.put("RUNBUS_SERVICE_MAX_RANKS", "ranks.max");
    env.put("WANDB_BASE_URL", "baseUrl");
    env.put("WANDB_API_KEY", "apiKey");
    return Map.copyOf(env);
  }

  /** {@code conf/runbus.json} (if present), {@code deploymentConfig}, then this process's environment. */
  public static Future<ServiceConfig> load(Vertx vertx, JsonObject deploymentConfig) {
    return load(vertx, DEFAULT_FILE, deploymentConfig);
  }

  static Future<ServiceConfig> load(Vertx vertx, Path file, JsonObject deploymentConfig) {
    List<ConfigStoreOptions> stores = new ArrayList<>();
    // not an "optional" store: that would also swallow a file that is there but broken
    boolean hasFile = Files.isRegularFile(file);
    if (hasFile) {
      stores.add(
          new ConfigStoreOptions()
              .setType("file")
              .setFormat("json")
              .setConfig(new JsonObject().put("path", file.toString())));
    }
    stores.add(
        new ConfigStoreOptions()
            .setType("env")
            .setConfig(
                new JsonObject()
                    .put("keys", new JsonArray(new ArrayList<>(ENVIRONMENT.keySet())))
                    .put("raw-data", true)));
    ConfigRetriever retriever =
        ConfigRetriever.create(vertx, new ConfigRetrieverOptions().setStores(stores).setScanPeriod(0));
    String fileName = file.toString();
    return retriever
        .getConfig()
        .recover(
            e ->
                Future.failedFuture(
                    new IllegalArgumentException(
                        fileName + " is not a JSON object: " + firstLine(e.getMessage()))))
        .map(
            merged -> {
              JsonObject fromFile = new JsonObject();
              Map<String, String> env = new HashMap<>();
              for (Map.Entry<String, Object> e : merged) {
                if (ENVIRONMENT.containsKey(e.getKey())) {
                  env.put(e.getKey(), String.valueOf(e.getValue()));
                } else {
                  fromFile.put(e.getKey(), e.getValue());
                }
              }
              return resolve(fromFile, fileName, deploymentConfig, env);
            })
        .eventually(retriever::close);
  }

  /**
   * The configuration from the layers, lowest first: {@code file} (named {@code fileName} in
   * errors), {@code conf} (the deployment's config, "-conf"), {@code env} (variables by name).
   */
  public static ServiceConfig resolve(
      JsonObject file, String fileName, JsonObject conf, Map<String, String> env) {
    Layers layers = new Layers();
    layers.addJson(file == null ? new JsonObject() : file, "", fileName + ": ");
    layers.addJson(conf == null ? new JsonObject() : conf, "", "-conf: ");
    for (Map.Entry<String, String> e : ENVIRONMENT.entrySet()) {
      String value = env.get(e.getKey());
      if (value != null && !value.isEmpty()) {
        layers.set(e.getValue(), value, e.getKey());
      }
    }
    ServiceConfig d = ServiceConfig.defaults(DEFAULT_DATA);
    Path data = Path.of(layers.string("data", DEFAULT_DATA.toString()));
    String token = layers.string("token", null);
    if (token != null && token.isBlank()) {
      throw new IllegalArgumentException(layers.source("token") + ": the token is empty");
    }
    return new ServiceConfig(
        data,
        token,
        layers.listener("grpc", d.grpc()),
        layers.listener("bridge", d.bridge()),
        layers.string("baseUrl", null),
        layers.string("apiKey", null),
        Duration.ofMillis(
            layers.number("ranks.finishTimeoutMs", d.rankFinishTimeout().toMillis(), 0, 24L * 3600_000)),
        Duration.ofMillis(
            layers.number(
                "ranks.stragglerTimeoutMs", d.stragglerTimeout().toMillis(), 0, 24L * 3600_000)),
        layers.number("ranks.mergeWindowBytes", d.mergeWindowBytes(), 1024, 1L << 40),
        (int) layers.number("ranks.max", d.maxRanks(), 1, 1 << 20));
  }

  private static String firstLine(String text) {
    if (text == null) {
      return "unreadable";
    }
    int nl = text.indexOf('\n');
    return nl < 0 ? text : text.substring(0, nl);
  }

  /** A value and where it was set ("conf/runbus.json: grpc.port", "RUNBUS_SERVICE_GRPC_PORT"). */
  private record Sourced(Object value, String source) {}

  /**
   * Every setting by its dotted key, each from the highest layer that set it. A listener set to
   * false drops what lower layers said of its host and port; anything set under it turns it on.
   */
  private static final class Layers {
    private final Map<String, Sourced> values = new LinkedHashMap<>();

    void addJson(JsonObject json, String prefix, String source) {
      List<String> known = known(prefix);
      for (Map.Entry<String, Object> e : json) {
        String key = prefix + e.getKey();
        if (!known.contains(e.getKey())) {
          throw new IllegalArgumentException(source + "unknown setting '" + key + "'");
        }
        Object value = e.getValue();
        if (value instanceof Map<?, ?> map) {
          value = new JsonObject(castMap(map));
        }
        if (value instanceof JsonObject nested && !isLeaf(key)) {
          clearFalse(key);
          addJson(nested, key + ".", source);
        } else if (!isLeaf(key) && !key.equals("grpc") && !key.equals("bridge")) {
          throw new IllegalArgumentException(
              source + key + ": expected an object, got " + show(value));
        } else {
          set(key, value, source + key);
        }
      }
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> castMap(Map<?, ?> map) {
      return (Map<String, Object>) map;
    }

    private static boolean isLeaf(String key) {
      return !(key.equals("grpc") || key.equals("bridge") || key.equals("ranks")
          || key.endsWith(".tls"));
    }

    private static List<String> known(String prefix) {
      if (prefix.isEmpty()) {
        return TOP;
      }
      if (prefix.endsWith("tls.")) {
        return TLS;
      }
      if (prefix.equals("ranks.")) {
        return RANKS;
      }
      return LISTENER;
    }

    void set(String key, Object value, String source) {
      if (key.equals("grpc") || key.equals("bridge")) {
        Boolean on = bool(value);
        if (on == null) {
          throw new IllegalArgumentException(
              source + ": expected an object or false, got " + show(value));
        }
        if (on) {
          values.remove(key); // on, with whatever was said of it below
        } else {
          values.keySet().removeIf(k -> k.equals(key) || k.startsWith(key + "."));
          values.put(key, new Sourced(false, source));
        }
        return;
      }
      int dot = key.indexOf('.');
      if (dot > 0) {
        clearFalse(key.substring(0, dot));
      }
      values.put(key, new Sourced(value, source));
    }

    private void clearFalse(String listener) {
      values.remove(listener);
    }

    private static Boolean bool(Object value) {
      if (value instanceof Boolean b) {
        return b;
      }
      if (value instanceof String s) {
        return switch (s.trim().toLowerCase(java.util.Locale.ROOT)) {
          case "false", "off", "no" -> false;
          case "true", "on", "yes" -> true;
          default -> null;
        };
      }
      return null;
    }

    String source(String key) {
      Sourced s = values.get(key);
      return s == null ? key : s.source();
    }

    String string(String key, String fallback) {
      Sourced s = values.get(key);
      if (s == null || s.value() == null) {
        return fallback;
      }
      if (!(s.value() instanceof String text)) {
        throw new IllegalArgumentException(s.source() + ": expected a string, got " + show(s.value()));
      }
      return text;
    }

    long number(String key, long fallback, long min, long max) {
      Sourced s = values.get(key);
      if (s == null || s.value() == null) {
        return fallback;
      }
      Object value = s.value();
      long n;
      if (value instanceof Number number && number.doubleValue() == number.longValue()) {
        n = number.longValue();
      } else if (value instanceof String text && text.trim().matches("-?\\d{1,18}")) {
        n = Long.parseLong(text.trim());
      } else {
        throw new IllegalArgumentException(
            s.source() + ": expected a whole number, got " + show(value));
      }
      if (n < min || n > max) {
        throw new IllegalArgumentException(
            s.source() + ": " + n + " is out of range (" + min + " to " + max + ")");
      }
      return n;
    }

    ServiceConfig.Listener listener(String name, ServiceConfig.Listener fallback) {
      if (values.containsKey(name)) {
        return null; // set to false
      }
      String host = string(name + ".host", fallback.host());
      if (host.isBlank()) {
        throw new IllegalArgumentException(source(name + ".host") + ": the host is empty");
      }
      int port = (int) number(name + ".port", fallback.port(), 0, 65535);
      String cert = string(name + ".tls.cert", null);
      String key = string(name + ".tls.key", null);
      if ((cert == null) != (key == null)) {
        String given = cert != null ? name + ".tls.cert" : name + ".tls.key";
        String missing = cert != null ? name + ".tls.key" : name + ".tls.cert";
        throw new IllegalArgumentException(
            source(given) + " is set but " + missing + " is not: TLS needs both PEM files");
      }
      for (String file : new String[] {"cert", "key"}) {
        String path = file.equals("cert") ? cert : key;
        if (path != null && !Files.isRegularFile(Path.of(path))) {
          throw new IllegalArgumentException(
              source(name + ".tls." + file) + ": no such file: " + path);
        }
      }
      return new ServiceConfig.Listener(host, port, cert, key);
    }

    private static String show(Object value) {
      return value instanceof String s ? "'" + s + "'" : String.valueOf(value);
    }
  }
}
