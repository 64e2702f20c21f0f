package dev.runbus.server.store.sql;

import dev.runbus.server.store.Accounts;
import dev.runbus.server.store.User;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;

/**
 * Users and API keys. A key is 40 characters of {@code [A-Za-z0-9]} from SecureRandom (W&B's
 * format, about 238 bits); only its SHA-256 is stored. A fast hash suits keys this long and
 * random: nobody can guess one, so a slow hash would only slow every request down.
 */
final class SqlAccounts implements Accounts {
  static final int KEY_LENGTH = 40;
  static final int HINT_LENGTH = 6;
  private static final String ALPHABET =
      "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";

  private final Database db;
  private final SecureRandom random = new SecureRandom();

  SqlAccounts(Database db) {
    this.db = db;
  }

  @Override
  public IssuedKey createKey(String userName) {
    Names.checkName("user", userName);
    String key = newKey();
    long now = System.currentTimeMillis();
    return db.write(
        c -> {
          User user = userNamed(c, userName, now);
          long id =
              Sql.single(
                  c,
                  "INSERT INTO api_keys (user_id, key_sha256, hint, created_at)"
                      + " VALUES (?, ?, ?, ?) RETURNING id",
                  rs -> rs.getLong(1),
                  user.id(),
                  sha256Hex(key),
                  key.substring(0, HINT_LENGTH),
                  now);
          return new IssuedKey(id, user, key);
        });
  }

  private static User userNamed(Connection c, String name, long now) throws SQLException {
    Sql.update(
        c,
        "INSERT INTO users (name, created_at) VALUES (?, ?) ON CONFLICT (name) DO NOTHING",
        name,
        now);
    return new User(
        Sql.single(c, "SELECT id FROM users WHERE name = ?", rs -> rs.getLong(1), name), name);
  }

  @Override
  public List<KeyInfo> listKeys() {
    return db.read(
        c ->
            Sql.list(
                c,
                "SELECT k.id, u.name, k.hint, k.created_at, k.revoked_at FROM api_keys k"
                    + " JOIN users u ON u.id = k.user_id ORDER BY k.created_at DESC, k.id DESC",
                rs ->
                    new KeyInfo(
                        rs.getLong("id"),
                        rs.getString("name"),
                        rs.getString("hint"),
                        rs.getLong("created_at"),
                        Sql.getLongOrNull(rs, "revoked_at"))));
  }

  @Override
  public boolean revokeKey(long keyId) {
    long now = System.currentTimeMillis();
    return db.write(
        c ->
            Sql.update(
                    c,
                    "UPDATE api_keys SET revoked_at = ? WHERE id = ? AND revoked_at IS NULL",
                    now,
                    keyId)
                == 1);
  }

  @Override
  public Optional<User> userForKey(String key) {
    if (key == null || key.isEmpty()) {
      return Optional.empty();
    }
    return userForKeySha256(sha256Hex(key));
  }

  @Override
  public Optional<User> userForKeySha256(String hash) {
    return db.read(
        c ->
            Sql.optional(
                c,
                "SELECT u.id, u.name FROM api_keys k JOIN users u ON u.id = k.user_id"
                    + " WHERE k.key_sha256 = ? AND k.revoked_at IS NULL",
                rs -> new User(rs.getLong(1), rs.getString(2)),
                hash));
  }

  @Override
  public boolean noKeys() {
    return db.read(c -> Sql.optional(c, "SELECT 1 FROM api_keys LIMIT 1", rs -> 1).isEmpty());
  }

  private String newKey() {
    char[] out = new char[KEY_LENGTH];
    for (int i = 0; i < out.length; i++) {
      out[i] = ALPHABET.charAt(random.nextInt(ALPHABET.length()));
    }
    return new String(out);
  }

  static String sha256Hex(String key) {
    try {
      MessageDigest md = MessageDigest.getInstance("SHA-256");
      return HexFormat.of().formatHex(md.digest(key.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every Java platform has SHA-256", e);
    }
  }
}
