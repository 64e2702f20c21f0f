package dev.runbus.server.store.sql;

import dev.runbus.server.store.RunData;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Collections;
import java.util.List;

/** The run_lines table: a run's line files (events, console), one row per line. */
final class RunLines {
  static final int EVENTS = 1;
  static final int CONSOLE = 2;
  private static final int FETCH = 1000;
  private static final String INSERT =
      "INSERT INTO run_lines (run_id, stream, line_no, body) VALUES (?, ?, ?, ?)";

  private RunLines() {}

  /** Inserts new lines {@code firstLine ..}; the caller has checked they are new. */
  static void append(Connection c, long runId, int stream, long firstLine, List<String> lines)
      throws SQLException {
    insert(c, INSERT, runId, stream, firstLine, lines);
  }

  /** Writes lines at {@code firstLine ..}, replacing lines already there (output.log's rule). */
  static void put(Connection c, long runId, int stream, long firstLine, List<String> lines)
      throws SQLException {
    insert(
        c,
        INSERT + " ON CONFLICT (run_id, stream, line_no) DO UPDATE SET body = excluded.body",
        runId,
        stream,
        firstLine,
        lines);
  }

  private static void insert(
      Connection c, String sql, long runId, int stream, long firstLine, List<String> lines)
      throws SQLException {
    try (PreparedStatement ps = c.prepareStatement(sql)) {
      for (int i = 0; i < lines.size(); i++) {
        ps.setLong(1, runId);
        ps.setInt(2, stream);
        ps.setLong(3, firstLine + i);
        ps.setString(4, lines.get(i));
        ps.addBatch();
      }
      ps.executeBatch();
    }
  }

  /** The last {@code n} lines, oldest first. */
  static List<String> tail(Connection c, long runId, int stream, int n) throws SQLException {
    if (n <= 0) {
      return List.of();
    }
    List<String> out =
        Sql.list(
            c,
            "SELECT body FROM run_lines WHERE run_id = ? AND stream = ?"
                + " ORDER BY line_no DESC LIMIT ?",
            rs -> rs.getString(1),
            runId,
            stream,
            n);
    Collections.reverse(out);
    return out;
  }

  /** Lines {@code fromLine ..}, at most {@code limit}, streamed in order (fetch size on PostgreSQL). */
  static void scan(
      Connection c, long runId, int stream, long fromLine, long limit, RunData.LineSink sink)
      throws SQLException {
    if (limit <= 0) {
      return;
    }
    try (PreparedStatement ps =
        c.prepareStatement(
            "SELECT line_no, body FROM run_lines WHERE run_id = ? AND stream = ? AND line_no >= ?"
                + " ORDER BY line_no LIMIT ?")) {
      ps.setFetchSize(FETCH);
      ps.setLong(1, runId);
      ps.setInt(2, stream);
      ps.setLong(3, Math.max(0, fromLine));
      ps.setLong(4, limit);
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          sink.line(rs.getLong(1), rs.getString(2));
        }
      }
    }
  }
}
