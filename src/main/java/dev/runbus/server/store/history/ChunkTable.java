package dev.runbus.server.store.history;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;

/**
 * SQL of {@code history_chunks}: the lines as sent, a chunk of up to {@link #MAX_LINES} per row.
 */
final class ChunkTable {
  /** Lines per chunk at most: a tail or a scan from a line decodes at most this many extra. */
  static final int MAX_LINES = 1024;

  /** A chunk with fewer lines takes the next append's lines, so small posts add no rows. */
  static final int MERGE_BELOW = 512;

  private ChunkTable() {}

  record Chunk(long firstLine, int lineCount, byte[] body) {
    long endLine() {
      return firstLine + lineCount;
    }
  }

  /** The run's last chunk; its body only when it still takes lines. Null when there is none. */
  static Chunk last(Connection c, long runId) throws SQLException {
    try (PreparedStatement s =
        c.prepareStatement(
            "SELECT first_line, line_count, CASE WHEN line_count < "
                + MERGE_BELOW
                + " THEN body END FROM history_chunks WHERE run_id = ?"
                + " ORDER BY first_line DESC LIMIT 1")) {
      s.setLong(1, runId);
      try (ResultSet r = s.executeQuery()) {
        return r.next() ? new Chunk(r.getLong(1), r.getInt(2), r.getBytes(3)) : null;
      }
    }
  }

  static long lineCount(Connection c, long runId) throws SQLException {
    Chunk last = last(c, runId);
    return last == null ? 0 : last.endLine();
  }

  static void insert(Connection c, long runId, List<Chunk> chunks) throws SQLException {
    try (PreparedStatement s =
        c.prepareStatement(
            "INSERT INTO history_chunks (run_id, first_line, line_count, body) VALUES (?, ?, ?,"
                + " ?)")) {
      for (Chunk chunk : chunks) {
        s.setLong(1, runId);
        s.setLong(2, chunk.firstLine());
        s.setInt(3, chunk.lineCount());
        s.setBytes(4, chunk.body());
        s.addBatch();
      }
      s.executeBatch();
    }
  }

  static void replace(Connection c, long runId, Chunk chunk) throws SQLException {
    try (PreparedStatement s =
        c.prepareStatement(
            "UPDATE history_chunks SET line_count = ?, body = ? WHERE run_id = ? AND first_line"
                + " = ?")) {
      s.setInt(1, chunk.lineCount());
      s.setBytes(2, chunk.body());
      s.setLong(3, runId);
      s.setLong(4, chunk.firstLine());
      s.executeUpdate();
    }
  }

  /** Up to {@code limit} chunks whose first line is above {@code afterFirstLine}, in order. */
  static List<Chunk> page(Connection c, long runId, long afterFirstLine, int limit)
      throws SQLException {
    try (PreparedStatement s =
        c.prepareStatement(
            "SELECT first_line, line_count, body FROM history_chunks"
                + " WHERE run_id = ? AND first_line > ? ORDER BY first_line LIMIT ?")) {
      s.setLong(1, runId);
      s.setLong(2, afterFirstLine);
      s.setInt(3, limit);
      List<Chunk> chunks = new ArrayList<>(limit);
      try (ResultSet r = s.executeQuery()) {
        while (r.next()) {
          chunks.add(new Chunk(r.getLong(1), r.getInt(2), r.getBytes(3)));
        }
      }
      return chunks;
    }
  }

  static void delete(Connection c, long runId) throws SQLException {
    try (PreparedStatement s = c.prepareStatement("DELETE FROM history_chunks WHERE run_id = ?")) {
      s.setLong(1, runId);
      s.executeUpdate();
    }
  }
}
