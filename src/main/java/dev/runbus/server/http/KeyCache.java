package dev.runbus.server.http;

import dev.runbus.server.store.User;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * What recent keys turned out to be, so that a client's every request does not cost a database
 * query: bounded in entries (least recently used goes first) and in age, so a revoked key stops
 * working within {@code ttlMillis}. Keys are held as their SHA-256, never as themselves. Wrong keys
 * are remembered too: a client retrying with a bad key must not reach the database each time.
 */
final class KeyCache {

  private record Entry(Optional<User> user, long expiresAtMillis) {}

  private final int maxEntries;
  private final long ttlMillis;
  private final LinkedHashMap<String, Entry> entries;

  KeyCache(int maxEntries, long ttlMillis) {
    this.maxEntries = maxEntries;
    this.ttlMillis = ttlMillis;
    this.entries =
        new LinkedHashMap<>(16, 0.75f, true) {
          @Override
          protected boolean removeEldestEntry(Map.Entry<String, Entry> eldest) {
            return size() > KeyCache.this.maxEntries;
          }
        };
  }

  /** Null when unknown or expired; else what the key is (empty: not a valid key). */
  synchronized Optional<User> get(String digest, long nowMillis) {
    Entry e = entries.get(digest);
    if (e == null) {
      return null;
    }
    if (nowMillis >= e.expiresAtMillis()) {
      entries.remove(digest);
      return null;
    }
    return e.user();
  }

  synchronized void put(String digest, Optional<User> user, long nowMillis) {
    entries.put(digest, new Entry(user, nowMillis + ttlMillis));
  }

  synchronized int size() {
    return entries.size();
  }

  static String digest(String key) {
    try {
      MessageDigest sha = MessageDigest.getInstance("SHA-256");
      return HexFormat.of().formatHex(sha.digest(key.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is missing from this JVM", e);
    }
  }
}
