package dev.runbus.server.store.sql;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The store's JDBC shapes in one place: a statement prepared, its parameters bound in order, run,
 * its rows read and everything closed. Parameters are Long, Integer, Double, Boolean or String;
 * a null is bound as a text NULL, as {@code setString(i, null)} binds it.
 */
final class Sql {
  private Sql() {}

  /** Reads the current row of a result. */
  @FunctionalInterface
  interface Row<T> {
    T read(ResultSet rs) throws SQLException;
  }

  /** Every row the query returns, in order. */
  static <T> List<T> list(Connection c, String sql, Row<T> row, Object... params)
      throws SQLException {
    try (PreparedStatement ps = prepare(c, sql, params);
        ResultSet rs = ps.executeQuery()) {
      List<T> out = new ArrayList<>();
      while (rs.next()) {
        out.add(row.read(rs));
      }
      return out;
    }
  }

  /** The first row the query returns, if any. */
  static <T> Optional<T> optional(Connection c, String sql, Row<T> row, Object... params)
      throws SQLException {
    try (PreparedStatement ps = prepare(c, sql, params);
        ResultSet rs = ps.executeQuery()) {
      return rs.next() ? Optional.of(row.read(rs)) : Optional.empty();
    }
  }

  /** The one row the query must return (an INSERT ... RETURNING, a COUNT). */
  static <T> T single(Connection c, String sql, Row<T> row, Object... params)
      throws SQLException {
    return optional(c, sql, row, params)
        .orElseThrow(() -> new SQLException("expected a row, got none"));
  }

  /** Runs an INSERT, UPDATE or DELETE; returns the number of rows it changed. */
  static int update(Connection c, String sql, Object... params) throws SQLException {
    try (PreparedStatement ps = prepare(c, sql, params)) {
      return ps.executeUpdate();
    }
  }

  private static PreparedStatement prepare(Connection c, String sql, Object... params)
      throws SQLException {
    PreparedStatement ps = c.prepareStatement(sql);
    try {
      bind(ps, params);
      return ps;
    } catch (SQLException | RuntimeException e) {
      ps.close();
      throw e;
    }
  }

  /** Binds {@code params} to the statement's parameters 1, 2, ... */
  static void bind(PreparedStatement ps, Object... params) throws SQLException {
    for (int i = 0; i < params.length; i++) {
      Object p = params[i];
      int index = i + 1;
      if (p == null) {
        ps.setNull(index, Types.VARCHAR);
      } else if (p instanceof Long v) {
        ps.setLong(index, v);
      } else if (p instanceof Integer v) {
        ps.setInt(index, v);
      } else if (p instanceof Double v) {
        ps.setDouble(index, v);
      } else if (p instanceof Boolean v) {
        ps.setBoolean(index, v);
      } else if (p instanceof String v) {
        ps.setString(index, v);

      } else {
        throw new IllegalArgumentException(
            "SQL parameter " + index + " is a " + p.getClass().getName());
      }
    }
  }

  static Long getLongOrNull(ResultSet rs, String column) throws SQLException {
    long v = rs.getLong(column);
    return rs.wasNull() ? null : v;
  }

  static Integer getIntOrNull(ResultSet rs, String column) throws SQLException {
    int v = rs.getInt(column);
    return rs.wasNull() ? null : v;
  }
}
