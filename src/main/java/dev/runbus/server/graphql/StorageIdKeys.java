package dev.runbus.server.graphql;

import dev.runbus.server.store.RunKey;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;

/**
 * The runs a W&B storage id ({@code bucket.id}, base64 of {@code Run:v1:<name>:<project>:
 * <entity>}) may name, for mutations that name a run by id only (stopRun). Names may hold ':',
 * so every split is a candidate; the caller keeps the one whose stored id is exactly this id,
 * and the store's access rules still decide what the viewer may see.
 */
final class StorageIdKeys {
  private static final String PREFIX = "Run:v1:";
  /** Bounds the work a crafted id full of ':' can cause; real names have none or few. */
  private static final int MAX_CANDIDATES = 32;

  private StorageIdKeys() {}

  static List<RunKey> candidates(String storageId) {
    String plain;
    try {
      plain = new String(Base64.getDecoder().decode(storageId), StandardCharsets.UTF_8);
    } catch (IllegalArgumentException e) {
      return List.of();
    }
    if (!plain.startsWith(PREFIX)) {
      return List.of();
    }
    String rest = plain.substring(PREFIX.length());
    List<RunKey> keys = new ArrayList<>();
    for (int first = rest.indexOf(':'); first >= 0; first = rest.indexOf(':', first + 1)) {
      for (int second = rest.indexOf(':', first + 1);
          second >= 0;
          second = rest.indexOf(':', second + 1)) {
        if (keys.size() == MAX_CANDIDATES) {
          return keys;
        }
        keys.add(
            new RunKey(
                rest.substring(second + 1),
                rest.substring(first + 1, second),
                rest.substring(0, first)));
      }
    }
    return keys;
  }
}
