package dev.runbus.server.store.sql;

import dev.runbus.server.RunFileStorage;
import dev.runbus.server.store.RunFiles;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.List;
import java.util.Optional;

/** Records of uploaded files, one row per run and name; a new upload of a name replaces it. */
final class SqlRunFiles implements RunFiles {
  private static final String SELECT =
      "SELECT name, size_bytes, md5_base64, updated_at FROM run_files";

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
        c ->
            Sql.update(
                c,
                "INSERT INTO run_files (run_id, name, size_bytes, md5_base64, updated_at)"
                    + " VALUES (?, ?, ?, ?, ?) ON CONFLICT (run_id, name) DO UPDATE SET"
                    + " size_bytes = excluded.size_bytes, md5_base64 = excluded.md5_base64,"
                    + " updated_at = excluded.updated_at",
                runId,
                name,
                sizeBytes,
                md5Base64,
                now));
  }

  @Override
  public List<FileInfo> list(long runId) {
    return db.read(c -> Sql.list(c, SELECT + " WHERE run_id = ? ORDER BY name", SqlRunFiles::read, runId));
  }

  @Override
  public Optional<FileInfo> find(long runId, String name) {
    return db.read(
        c -> Sql.optional(c, SELECT + " WHERE run_id = ? AND name = ?", SqlRunFiles::read, runId, name));
  }

  private static FileInfo read(ResultSet rs) throws SQLException {
    return new FileInfo(rs.getString(1), rs.getLong(2), rs.getString(3), rs.getLong(4));
  }
}
