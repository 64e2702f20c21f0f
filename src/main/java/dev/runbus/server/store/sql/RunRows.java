package dev.runbus.server.store.sql;

import dev.runbus.server.store.Dialect;
import dev.runbus.server.store.NotFoundException;
import dev.runbus.server.store.RunInfo;
import dev.runbus.server.store.RunKey;
import dev.runbus.server.store.User;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Optional;

/** Reading runs: the one SELECT every run read shares, and the access rule (own entity only). */
final class RunRows {
  static final String SELECT =
      "SELECT r.*, p.entity AS entity_name, p.name AS project_name"
          + " FROM runs r JOIN projects p ON p.id = r.project_id";
  static final String UNCATEGORIZED = "uncategorized";

  private RunRows() {}

  /** The entity a request means: its own when null; another is refused as not found. */
  static String entityFor(User viewer, String entity) {
    if (entity == null || entity.isEmpty() || entity.equals(viewer.name())) {
      return viewer.name();
    }
    throw new NotFoundException("no such entity: " + entity);
  }

  static String projectFor(String project) {
    return project == null || project.isEmpty() ? UNCATEGORIZED : project;
  }

  /** The viewer's run by key, or empty when it does not exist or is another entity's. */
  static Optional<RunInfo> find(Connection c, User viewer, RunKey key) throws SQLException {
    return find(c, viewer, key, "");
  }

  /** As {@link #find}, locking the run's row until the transaction ends (PostgreSQL). */
  static RunInfo findForUpdate(Connection c, Dialect dialect, User viewer, RunKey key)
      throws SQLException {
    // SQLite has no FOR UPDATE: its writes are serialized by Database already
    String lock = dialect == Dialect.POSTGRESQL ? " FOR UPDATE OF r" : "";
    return find(c, viewer, key, lock).orElseThrow(() -> notFound(key));
  }

  private static Optional<RunInfo> find(Connection c, User viewer, RunKey key, String lock)
      throws SQLException {
    String entity = key.entity() == null || key.entity().isEmpty() ? viewer.name() : key.entity();
    if (!entity.equals(viewer.name())) {
      return Optional.empty();
    }
    return Sql.optional(
        c,
        SELECT + " WHERE p.entity = ? AND p.name = ? AND r.name = ?" + lock,
        RunRows::read,
        entity,
        projectFor(key.project()),
        key.name());
  }

  static NotFoundException notFound(RunKey key) {
    return new NotFoundException(
        "no such run: " + key.entity() + "/" + projectFor(key.project()) + "/" + key.name());
  }

  static RunInfo byId(Connection c, long id) throws SQLException {
    return Sql.single(c, SELECT + " WHERE r.id = ?", RunRows::read, id);
  }

  static RunInfo read(ResultSet rs) throws SQLException {
    return new RunInfo(
        rs.getLong("id"),
        rs.getString("storage_id"),
        rs.getString("entity_name"),
        rs.getString("project_name"),
        rs.getString("name"),
        rs.getString("display_name"),
        rs.getString("state"),
        Sql.getIntOrNull(rs, "exit_code"),
        rs.getString("config"),
        rs.getString("summary"),
        rs.getString("notes"),
        rs.getString("description"),
        rs.getString("group_name"),
        rs.getString("job_type"),
        rs.getString("host"),
        rs.getString("program"),
        rs.getString("repo"),
        rs.getString("commit_sha"),
        rs.getString("sweep"),
        JsonTexts.readStringArray(rs.getString("tags")),
        rs.getBoolean("stop_requested"),
        rs.getLong("history_lines"),
        rs.getLong("events_lines"),
        rs.getLong("log_lines"),
        rs.getLong("created_at"),
        rs.getLong("updated_at"),
        Sql.getLongOrNull(rs, "heartbeat_at"));
  }
}
