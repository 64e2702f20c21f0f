package dev.runbus.server.store.history;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.util.ArrayList;
import java.util.List;

/** SQL of {@code history_blocks}: a numeric key's values, {@link #MAX_VALUES} per block at most. */
final class BlockTable {
  /**
   * Values per block at most. Smaller blocks cost more rows to write; larger ones cost a sampled
   * read more, which decodes the blocks a bucket boundary cuts through.
   */
  static final int MAX_VALUES = 256;

  private static final int IN_LIST = 200;

  private BlockTable() {}

  /** One block's row: where it starts, its summary, and its encoded values. */
  record Block(
      int keyId, long firstLine, long lastLine, int count, BlockSummary summary, byte[] data) {
    static Block of(int keyId, Column c, int from, int to) {
      return new Block(
          keyId,
          c.lines[from],
          c.lines[to - 1],
          to - from,
          BlockSummary.of(c, from, to),
          BlockCodec.encode(c, from, to));
    }
  }

  private static final String COLUMNS =
      "last_line = ?, value_count = ?, min_step = ?, max_step = ?, min_value = ?,"
          + " min_value_step = ?, min_value_line = ?, max_value = ?, max_value_step = ?,"
          + " max_value_line = ?, data = ?";

  static void insert(Connection c, long runId, List<Block> blocks) throws SQLException {
    if (blocks.isEmpty()) {
      return;
    }
    try (PreparedStatement s =
        c.prepareStatement(
            "INSERT INTO history_blocks (last_line, value_count, min_step, max_step, min_value,"
                + " min_value_step, min_value_line, max_value, max_value_step, max_value_line,"
                + " data, run_id, key_id, first_line) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?,"
                + " ?, ?)")) {
      for (Block b : blocks) {
        bind(s, runId, b);
        s.addBatch();
      }
      s.executeBatch();
    }
  }

  static void replace(Connection c, long runId, Block b) throws SQLException {
    try (PreparedStatement s =
        c.prepareStatement(
            "UPDATE history_blocks SET "
                + COLUMNS
                + " WHERE run_id = ? AND key_id = ? AND first_line = ?")) {
      bind(s, runId, b);
      s.executeUpdate();
    }
  }

  private static void bind(PreparedStatement s, long runId, Block b) throws SQLException {
    BlockSummary m = b.summary();
    s.setLong(1, b.lastLine());
    s.setInt(2, b.count());
    s.setLong(3, m.minStep());
    s.setLong(4, m.maxStep());
    if (m.hasValues()) {
      s.setDouble(5, m.minValue());
      s.setLong(6, m.minValueStep());
      s.setLong(7, m.minValueLine());
      s.setDouble(8, m.maxValue());
      s.setLong(9, m.maxValueStep());
      s.setLong(10, m.maxValueLine());
    } else {
      s.setNull(5, Types.DOUBLE);
      s.setNull(6, Types.BIGINT);
      s.setNull(7, Types.BIGINT);
      s.setNull(8, Types.DOUBLE);
      s.setNull(9, Types.BIGINT);
      s.setNull(10, Types.BIGINT);
    }
    s.setBytes(11, b.data());
    s.setLong(12, runId);
    s.setInt(13, b.keyId());
    s.setLong(14, b.firstLine());
  }

  static byte[] data(Connection c, long runId, int keyId, long firstLine) throws SQLException {
    try (PreparedStatement s =
        c.prepareStatement(
            "SELECT data FROM history_blocks WHERE run_id = ? AND key_id = ? AND first_line = ?")) {
      s.setLong(1, runId);
      s.setInt(2, keyId);
      s.setLong(3, firstLine);
      try (ResultSet r = s.executeQuery()) {
        if (!r.next()) {
          throw new SQLException("history block " + firstLine + " of key " + keyId + " is missing");
        }
        return r.getBytes(1);
      }
    }
  }

  /** Up to {@code limit} block summaries of a key, first lines above {@code afterFirstLine}. */
  static List<BlockSummary> summaries(
      Connection c, long runId, int keyId, long afterFirstLine, int limit) throws SQLException {
    try (PreparedStatement s =
        c.prepareStatement(
            "SELECT first_line, min_step, max_step, min_value, min_value_step, min_value_line,"
                + " max_value, max_value_step, max_value_line FROM history_blocks WHERE run_id = ?"
                + " AND key_id = ? AND first_line > ? ORDER BY first_line LIMIT ?")) {
      s.setLong(1, runId);
      s.setInt(2, keyId);
      s.setLong(3, afterFirstLine);
      s.setInt(4, limit);
      List<BlockSummary> page = new ArrayList<>(limit);
      try (ResultSet r = s.executeQuery()) {
        while (r.next()) {
          double min = r.getDouble(4);
          boolean hasValues = !r.wasNull();
          page.add(
              new BlockSummary(
                  r.getLong(1),
                  r.getLong(2),
                  r.getLong(3),
                  hasValues,
                  min,
                  r.getLong(5),
                  r.getLong(6),
                  r.getDouble(7),
                  r.getLong(8),
                  r.getLong(9)));
        }
      }
      return page;
    }
  }

  /** Up to {@code limit} first lines of a key's blocks above {@code afterFirstLine}, in order. */
  static long[] firstLines(Connection c, long runId, int keyId, long afterFirstLine, int limit)
      throws SQLException {
    try (PreparedStatement s =
        c.prepareStatement(
            "SELECT first_line FROM history_blocks WHERE run_id = ? AND key_id = ?"
                + " AND first_line > ? ORDER BY first_line LIMIT ?")) {
      s.setLong(1, runId);
      s.setInt(2, keyId);
      s.setLong(3, afterFirstLine);
      s.setInt(4, limit);
      long[] page = new long[limit];
      int n = 0;
      try (ResultSet r = s.executeQuery()) {
        while (r.next()) {
          page[n++] = r.getLong(1);
        }
      }
      return java.util.Arrays.copyOf(page, n);
    }
  }

  /** Decodes into {@code into} the blocks of a key starting at the given lines. */
  static void decodeBlocks(Connection c, long runId, int keyId, List<Long> firstLines, Column into)
      throws SQLException {
    for (int from = 0; from < firstLines.size(); from += IN_LIST) {
      List<Long> part = firstLines.subList(from, Math.min(firstLines.size(), from + IN_LIST));
      try (PreparedStatement s =
          c.prepareStatement(
              "SELECT data FROM history_blocks WHERE run_id = ? AND key_id = ? AND first_line IN ("
                  + "?,".repeat(part.size() - 1)
                  + "?)")) {
        s.setLong(1, runId);
        s.setInt(2, keyId);
        for (int i = 0; i < part.size(); i++) {
          s.setLong(i + 3, part.get(i));
        }
        try (ResultSet r = s.executeQuery()) {
          while (r.next()) {
            BlockCodec.decode(r.getBytes(1), into);
          }
        }
      }
    }
  }

  /** The first line of the block holding {@code line} or the first block after it; -1 if none. */
  static long blockAt(Connection c, long runId, int keyId, long line) throws SQLException {
    try (PreparedStatement s =
        c.prepareStatement(
            "SELECT first_line FROM history_blocks WHERE run_id = ? AND key_id = ?"
                + " AND first_line <= ? ORDER BY first_line DESC LIMIT 1")) {
      s.setLong(1, runId);
      s.setInt(2, keyId);
      s.setLong(3, line);
      try (ResultSet r = s.executeQuery()) {
        if (r.next()) {
          return r.getLong(1);
        }
      }
    }
    return -1;
  }

  /**
   * Decodes into {@code into} up to {@code limit} blocks from {@code fromFirstLine} on, in order.
   */
  static int decodePage(
      Connection c, long runId, int keyId, long fromFirstLine, int limit, Column into)
      throws SQLException {
    try (PreparedStatement s =
        c.prepareStatement(
            "SELECT data FROM history_blocks WHERE run_id = ? AND key_id = ? AND first_line >= ?"
                + " ORDER BY first_line LIMIT ?")) {
      s.setLong(1, runId);
      s.setInt(2, keyId);
      s.setLong(3, fromFirstLine);
      s.setInt(4, limit);
      int n = 0;
      try (ResultSet r = s.executeQuery()) {
        while (r.next()) {
          BlockCodec.decode(r.getBytes(1), into);
          n++;
        }
      }
      return n;
    }
  }

  static void delete(Connection c, long runId) throws SQLException {
    try (PreparedStatement s = c.prepareStatement("DELETE FROM history_blocks WHERE run_id = ?")) {
      s.setLong(1, runId);
      s.executeUpdate();
    }
  }
}
