package dev.runbus.server.store.history;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** SQL of {@code history_keys}: a run's keys, what kinds of values they hold, their open block. */
final class KeyTable {
  static final int NUMBERS = 1;
  static final int OTHERS = 2;

  /** _step, the x of every line, always has this id. */
  static final int STEP_KEY_ID = 0;

  private static final int IN_LIST = 200;

  private KeyTable() {}

  /** One key's row, changed in memory during an append and written back at its end. */
  static final class Key {
    final String name;
    int id;
    int kinds;
    long valueCount;
    long minStep = Long.MAX_VALUE;
    long maxStep = Long.MIN_VALUE;
    Long openBlock;
    boolean stored;
    boolean changed;

    Key(String name) {
      this.name = name;
    }

    boolean numbersOnly() {
      return kinds == NUMBERS;
    }
  }

  /** The stored keys among {@code names}, by name (a name not stored is absent). */
  static Map<String, Key> load(Connection c, long runId, Collection<String> names)
      throws SQLException {
    Map<String, Key> keys = new HashMap<>();
    List<String> all = new ArrayList<>(names);
    for (int from = 0; from < all.size(); from += IN_LIST) {
      List<String> part = all.subList(from, Math.min(all.size(), from + IN_LIST));
      String sql =
          "SELECT key_id, name, kinds, value_count, min_step, max_step, open_block FROM"
              + " history_keys WHERE run_id = ? AND name IN ("
              + "?,".repeat(part.size() - 1)
              + "?)";
      try (PreparedStatement s = c.prepareStatement(sql)) {
        s.setLong(1, runId);
        for (int i = 0; i < part.size(); i++) {
          s.setString(i + 2, part.get(i));
        }
        try (ResultSet r = s.executeQuery()) {
          while (r.next()) {
            Key k = new Key(r.getString(2));
            k.id = r.getInt(1);
            k.kinds = r.getInt(3);
            k.valueCount = r.getLong(4);
            long min = r.getLong(5);
            k.minStep = r.wasNull() ? Long.MAX_VALUE : min;
            long max = r.getLong(6);
            k.maxStep = r.wasNull() ? Long.MIN_VALUE : max;
            long open = r.getLong(7);
            k.openBlock = r.wasNull() ? null : open;
            k.stored = true;
            keys.put(k.name, k);
          }
        }
      }
    }
    return keys;
  }

  static int maxId(Connection c, long runId) throws SQLException {
    try (PreparedStatement s =
        c.prepareStatement("SELECT MAX(key_id) FROM history_keys WHERE run_id = ?")) {
      s.setLong(1, runId);
      try (ResultSet r = s.executeQuery()) {
        r.next();
        int max = r.getInt(1);
        return r.wasNull() ? -1 : max;
      }
    }
  }

  /** Inserts the new keys and updates the changed ones. */
  static void save(Connection c, long runId, Collection<Key> keys) throws SQLException {
    try (PreparedStatement insert =
            c.prepareStatement(
                "INSERT INTO history_keys (kinds, value_count, min_step, max_step, open_block,"
                    + " run_id, key_id, name) VALUES (?, ?, ?, ?, ?, ?, ?, ?)");
        PreparedStatement update =
            c.prepareStatement(
                "UPDATE history_keys SET kinds = ?, value_count = ?, min_step = ?, max_step = ?,"
                    + " open_block = ? WHERE run_id = ? AND key_id = ?")) {
      int inserts = 0;
      int updates = 0;
      for (Key k : keys) {
        if (k.stored && !k.changed) {
          continue;
        }
        PreparedStatement s = k.stored ? update : insert;
        s.setInt(1, k.kinds);
        s.setLong(2, k.valueCount);
        setStep(s, 3, k.minStep, Long.MAX_VALUE);
        setStep(s, 4, k.maxStep, Long.MIN_VALUE);
        if (k.openBlock == null) {
          s.setNull(5, Types.BIGINT);
        } else {
          s.setLong(5, k.openBlock);
        }
        s.setLong(6, runId);
        s.setInt(7, k.id);
        if (!k.stored) {
          s.setString(8, k.name);
          inserts++;
        } else {
          updates++;
        }
        s.addBatch();
      }
      if (inserts > 0) {
        insert.executeBatch();
      }
      if (updates > 0) {
        update.executeBatch();
      }
    }
  }

  private static void setStep(PreparedStatement s, int i, long v, long none) throws SQLException {
    if (v == none) {
      s.setNull(i, Types.BIGINT);
    } else {
      s.setLong(i, v);
    }
  }

  static List<String> names(Connection c, long runId) throws SQLException {
    try (PreparedStatement s =
        c.prepareStatement("SELECT name FROM history_keys WHERE run_id = ?")) {
      s.setLong(1, runId);
      List<String> names = new ArrayList<>();
      try (ResultSet r = s.executeQuery()) {
        while (r.next()) {
          names.add(r.getString(1));
        }
      }
      return names;
    }
  }

  static void delete(Connection c, long runId) throws SQLException {
    try (PreparedStatement s = c.prepareStatement("DELETE FROM history_keys WHERE run_id = ?")) {
      s.setLong(1, runId);
      s.executeUpdate();
    }
  }
}
