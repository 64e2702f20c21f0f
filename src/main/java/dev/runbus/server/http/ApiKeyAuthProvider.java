package dev.runbus.server.http;

import dev.runbus.server.Viewer;
import dev.runbus.server.store.Accounts;
import io.vertx.core.Future;
import io.vertx.core.WorkerExecutor;
import io.vertx.ext.auth.User;
import io.vertx.ext.auth.authentication.AuthenticationProvider;
import io.vertx.ext.auth.authentication.Credentials;
import io.vertx.ext.auth.authentication.UsernamePasswordCredentials;
import io.vertx.ext.web.handler.HttpException;
import java.util.Optional;
import java.util.function.LongSupplier;

/**
 * W&B's scheme: HTTP Basic with user {@code api} and the API key as password. The lookup runs on
 * the database workers (this is called on an event loop) and its answer is cached briefly.
 */
public final class ApiKeyAuthProvider implements AuthenticationProvider {

  static final int CACHE_ENTRIES = 10_000;
  /** How long a key's answer is kept: a revoked key works at most this much longer. */
  public static final long CACHE_TTL_MILLIS = 10_000;
  /** The attribute of an authenticated user naming its key's digest (never the key). */
  private static final String KEY_SHA256 = "runbus.keySha256";
  /** W&B's keys are 40 characters and more; anything much longer is not a key. */
  private static final int MAX_KEY_LENGTH = 512;

  private final Accounts accounts;
  private final WorkerExecutor db;
  private final KeyCache cache;
  private final LongSupplier clock;

  public ApiKeyAuthProvider(Accounts accounts, WorkerExecutor db) {
    this(accounts, db, new KeyCache(CACHE_ENTRIES, CACHE_TTL_MILLIS), System::currentTimeMillis);
  }

  ApiKeyAuthProvider(Accounts accounts, WorkerExecutor db, KeyCache cache, LongSupplier clock) {
    this.accounts = accounts;
    this.db = db;
    this.cache = cache;
    this.clock = clock;
  }

  @Override
  public Future<User> authenticate(Credentials credentials) {
    if (!(credentials instanceof UsernamePasswordCredentials basic)
        || !"api".equals(basic.getUsername())
        || basic.getPassword() == null
        || basic.getPassword().isEmpty()
        || basic.getPassword().length() > MAX_KEY_LENGTH) {
      return refused();
    }
    return authenticateDigest(KeyCache.digest(basic.getPassword()));
  }

  /** A key's SHA-256 (lower-case hex), as {@link #digest} computes it: what a web session keeps. */
  public static String digest(String key) {
    return KeyCache.digest(key);
  }

  /**
   * The user of the key with this digest, through the same cache as a key: a web session re-checks
   * its key on each request this way, so a revoked key ends its sessions within the cache's TTL.
   */
  public Future<User> authenticateDigest(String digest) {
    if (digest == null) {
      return refused();
    }
    Optional<dev.runbus.server.store.User> known = cache.get(digest, clock.getAsLong());
    if (known != null) {
      return answer(digest, known);
    }
    return db.executeBlocking(() -> accounts.userForKeySha256(digest), false)
        // the database failing is not a wrong key: 503, which clients retry, instead of 401
        .recover(e -> Future.failedFuture(new HttpException(503, e)))
        .compose(
            user -> {
              cache.put(digest, user, clock.getAsLong());
              return answer(digest, user);
            });
  }

  /**
   * The digest of the key a user was authenticated with, or null: what a long-lived connection
   * (the UI's live bridge) re-checks later through {@link #authenticateDigest}.
   */
  public static String keyDigestOf(User user) {
    return user == null ? null : user.attributes().getString(KEY_SHA256);
  }

  private static Future<User> answer(String digest, Optional<dev.runbus.server.store.User> user) {
    return user.map(
            u -> {
              User found = Viewer.principal(u);
              found.attributes().put(KEY_SHA256, digest);
              return Future.succeededFuture(found);
            })
        .orElseGet(ApiKeyAuthProvider::refused);
  }

  private static Future<User> refused() {
    return Future.failedFuture("invalid API key");
  }
}
