package dev.runbus.server.store.sql;

import java.nio.charset.StandardCharsets;
import java.util.Base64;

/**
 * A run's storage id, W&B's {@code bucket.id}: opaque to clients, stable, and of W&B's own shape
 * (base64 of {@code Run:v1:<name>:<project>:<entity>}). The store looks ids up by their stored
 * text rather than decoding them, so names holding ':' cannot make one ambiguous.
 */
final class StorageIds {
  private StorageIds() {}

  static String of(String entity, String project, String name) {
    String plain = "Run:v1:" + name + ":" + project + ":" + entity;
    return Base64.getEncoder().encodeToString(plain.getBytes(StandardCharsets.UTF_8));
  }
}
