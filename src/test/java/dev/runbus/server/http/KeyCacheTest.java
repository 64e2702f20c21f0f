package dev.runbus.server.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.runbus.server.store.User;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class KeyCacheTest {

  @Test
  void entriesExpire() {
    KeyCache cache = new KeyCache(10, 1000);
    cache.put("k", Optional.of(new User(1, "alice")), 0);
    assertEquals(Optional.of(new User(1, "alice")), cache.get("k", 999));
    assertNull(cache.get("k", 1000));
  }

  @Test
  void wrongKeysAreRememberedToo() {
    KeyCache cache = new KeyCache(10, 1000);
    cache.put("bad", Optional.empty(), 0);
    assertTrue(cache.get("bad", 1).isEmpty());
  }

  @Test
  void boundedInSizeDroppingTheLeastRecentlyUsed() {
    KeyCache cache = new KeyCache(2, 1000);
    cache.put("a", Optional.empty(), 0);
    cache.put("b", Optional.empty(), 0);
    cache.get("a", 1);
    cache.put("c", Optional.empty(), 0);
    assertEquals(2, cache.size());
    assertNull(cache.get("b", 1));
    assertTrue(cache.get("a", 1) != null);
  }

  @Test
  void holdsDigestsNotKeys() {
    String digest = KeyCache.digest("secret-key");
    assertEquals(64, digest.length());
    assertTrue(!digest.contains("secret"));
  }
}
