package dev.runbus.server.ui;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.HttpException;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Files of the UI served from the class path (the jar), never from the working directory: what a
 * user's current directory holds cannot change the page. Each file is read once, on a worker, and
 * kept with an ETag; only files that exist are kept, and the jar holds a fixed few, so the memory
 * is bounded by them.
 */
final class ClasspathAssets {

  /** One file's bytes, type and validator. */
  record Asset(Buffer bytes, String contentType, String etag) {}

  private static final Map<String, String> TYPES =
      Map.of(
          "html", "text/html; charset=utf-8",
          "js", "text/javascript; charset=utf-8",
          "css", "text/css; charset=utf-8",
          "svg", "image/svg+xml",
          "map", "application/json");

  private final Vertx vertx;
  private final Map<String, Asset> loaded = new ConcurrentHashMap<>();

  ClasspathAssets(Vertx vertx) {
    this.vertx = vertx;
  }

  /** The resource, or a failed future with {@link Missing} when the class path has none. */
  Future<Asset> get(String resource) {
    Asset known = loaded.get(resource);
    if (known != null) {
      return Future.succeededFuture(known);
    }
    return vertx
        .executeBlocking(() -> read(resource), false)
        .map(
            asset -> {
              loaded.put(resource, asset);
              return asset;
            });
  }

  /**
   * Answers with the resource ({@code 304} when the browser's copy is current), or fails the
   * request with 404.
   */
  void serve(RoutingContext rc, String resource, String cacheControl) {
    get(resource)
        .onSuccess(
            asset -> {
              rc.response()
                  .putHeader("Cache-Control", cacheControl)
                  .putHeader("ETag", asset.etag())
                  .putHeader("X-Content-Type-Options", "nosniff");
              if (asset.etag().equals(rc.request().getHeader("If-None-Match"))) {
                rc.response().setStatusCode(304).end();
                return;
              }
              rc.response().putHeader("Content-Type", asset.contentType()).end(asset.bytes());
            })
        .onFailure(e -> rc.fail(e instanceof Missing ? new HttpException(404) : e));
  }

  private static Asset read(String resource) {
    ClassLoader loader = ClasspathAssets.class.getClassLoader();
    try (InputStream in = loader.getResourceAsStream(resource)) {
      if (in == null) {
        throw new Missing(resource);
      }
      byte[] bytes = in.readAllBytes();
      return new Asset(Buffer.buffer(bytes), typeOf(resource), etag(bytes));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + resource + " from the class path", e);
    }
  }

  static String typeOf(String resource) {
    int dot = resource.lastIndexOf('.');
    String type = dot < 0 ? null : TYPES.get(resource.substring(dot + 1));
    return type == null ? "application/octet-stream" : type;
  }

  private static String etag(byte[] bytes) {
    try {
      byte[] sha = MessageDigest.getInstance("SHA-256").digest(bytes);
      return "\"" + HexFormat.of().formatHex(sha, 0, 12) + "\"";
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every Java platform has SHA-256", e);
    }
  }

  /** No such resource on the class path. */
  static final class Missing extends RuntimeException {
    Missing(String resource) {
      super("no " + resource + " on the class path");
    }
  }
}
