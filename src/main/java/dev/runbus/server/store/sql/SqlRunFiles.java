package dev.runbus.server.store.sql;

import dev.runbus.server.RunFileStorage;
import dev.runbus.server.store.RunFiles;
import java.sql.PreparedStatement;
import java.util.List;
import java.util.Optional;

/** Records of uploaded files, one row per run and name; a new upload of a name replaces it. */
final class SqlRunFiles implements RunFiles {
  private final Database db;

  SqlRunFiles(Database db) {
    this.db = db;
  }

  @Override
  public void recordUpload(long runId, String name, long sizeBytes, String md5Base64) {
    RunFileStorage.checkName(name);
    Names.checkText("md5", md5Base64, 64);
    long now = System.currentTimeMillis();
    db.write(
        c -> {
          try (PreparedStatement ps =
              c.prepareStatement(
                  "INSERT INTO run_files (run_id, name, size_bytes, md5_base64, updated_at)"
                      + " VALUES (?, ?, ?, ?, ?) ON CONFLICT (run_id, name) DO UPDATE SET"
                      + " size_bytes = excluded.size_bytes, md5_base64 = excluded.md5_base64,"
                      + " updated_at = excluded.updated_at")) {
            ps.setLong(1, runId);
            ps.setString(2, name);
            ps.setLong(3, sizeBytes);
            ps.setString(4, md5Base64);
            ps.setLong(5, now);
            ps.executeUpdate();
          }
          return null;
        });
  }

  @Override
  public List<FileInfo> list(long runId) {
    return db.read(
        c -> {
          try (PreparedStatement ps =
              c.prepareStatement(
                  "SELECT name, size_bytes, md5_base64, updated_at FROM run_files"
                      + " WHERE run_id = ? ORDER BY name")) {
            ps.setLong(1, runId);
            return Sql.list(
                ps, rs -> new FileInfo(rs.getString(1), rs.getLong(2), rs.getString(3), rs.getLong(4)));
          }
        });
  }

  @Override
  public Optional<FileInfo> find(long runId, String name) {
    return db.read(
        c -> {
          try (PreparedStatement ps =
              c.prepareStatement(
                  "SELECT name, size_bytes, md5_base64, updated_at FROM run_files"
                      + " WHERE run_id = ? AND name = ?")) {
            ps.setLong(1, runId);
            ps.setString(2, name);
            return Sql.optional(
                ps, rs -> new FileInfo(rs.getString(1), rs.getLong(2), rs.getString(3), rs.getLong(4)));
          }
        });
  }
}
