package dev.runbus.server.store;

import java.util.List;
import java.util.Optional;

/** Users and their API keys. Only a key's SHA-256 is stored; the key itself is shown once. */
public interface Accounts {

  /** A new key for {@code userName}, creating the user (and its entity) if it does not exist. */
  IssuedKey createKey(String userName);

  /** Every key, revoked ones included, newest first; never the keys themselves. */
  List<KeyInfo> listKeys();

  /** Revokes the key with this id; false if there is none or it was already revoked. */
  boolean revokeKey(long keyId);

  /** The user a key belongs to, if the key exists and is not revoked. */
  Optional<User> userForKey(String key);

  /**
   * The user of the key whose SHA-256 (lower-case hex) this is, if that key is not revoked: a web UI
   * session keeps only the hash and re-checks it, so a revoked key ends its sessions.
   */
  Optional<User> userForKeySha256(String sha256Hex);

  /** True when no key exists at all: the server's first start creates one. */
  boolean noKeys();

  /** A key as created: {@code key} is the secret, returned this once. */
  record IssuedKey(long id, User user, String key) {}

  /** A key as listed: {@code hint} is its first characters, enough to tell keys apart. */
  record KeyInfo(long id, String userName, String hint, long createdAtMillis, Long revokedAtMillis) {}
}
