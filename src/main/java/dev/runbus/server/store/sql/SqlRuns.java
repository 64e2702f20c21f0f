package dev.runbus.server.store.sql;

import com.fasterxml.jackson.databind.JsonNode;
import dev.runbus.server.store.Alert;
import dev.runbus.server.store.BadInputException;
import dev.runbus.server.store.Dialect;
import dev.runbus.server.store.NotFoundException;
import dev.runbus.server.store.RunInfo;
import dev.runbus.server.store.RunKey;
import dev.runbus.server.store.RunUpsert;
import dev.runbus.server.store.Runs;
import dev.runbus.server.store.User;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Types;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/** Entities, projects and runs on SQL; every method sees the viewer's own entity only. */
final class SqlRuns implements Runs {
  static final Set<String> STATES = Set.of("running", "finished", "failed", "crashed", "preempted");
  private static final Set<String> ALERT_SEVERITIES = Set.of("INFO", "WARN", "ERROR");
  private static final int MAX_ALERT_TITLE = 1024;
  private static final int MAX_ALERT_TEXT = 65_536;
  static final int MAX_PAGE = 1000;
  private static final int MAX_SHORT_TEXT = 4096;
  private static final int MAX_TAGS = 256;
  private static final String RUN_ID_ALPHABET = "abcdefghijklmnopqrstuvwxyz0123456789";
  private static final String SELECT_PROJECT_ID =
      "SELECT id FROM projects WHERE entity = ? AND name = ?";

  private final Database db;
  private final DisplayNames displayNames = new DisplayNames();
  private final SecureRandom random = new SecureRandom();

  SqlRuns(Database db) {
    this.db = db;
  }

  @Override
  public Upserted upsert(User viewer, RunUpsert input) {
    return upsert(viewer, null, input);
  }

  @Override
  public Upserted upsert(User viewer, String storageId, RunUpsert input) {
    checkInput(input);
    JsonNode summary =
        input.summaryMetrics() == null ? null : JsonTexts.object("summaryMetrics", input.summaryMetrics());
    JsonNode config = input.config() == null ? null : JsonTexts.object("config", input.config());
    long now = System.currentTimeMillis();
    return db.write(
        c -> {
          RunKey key = keyOf(c, viewer, storageId, input);
          long projectId = projectId(c, key.entity(), key.project(), now);
          Optional<Long> existing = runId(c, projectId, key.name());
          boolean inserted = false;
          long runId;
          if (existing.isPresent()) {
            runId = existing.get();
          } else {
            Optional<Long> created = insert(c, projectId, key, input, now);
            inserted = created.isPresent();
            // a concurrent upsert of the same new run (PostgreSQL) won: update that one instead
            runId = created.isPresent() ? created.get() : runId(c, projectId, key.name()).orElseThrow();
          }
          update(c, runId, input, now);
          if (input.tags() != null) {
            replaceTags(c, runId, input.tags());
          }
          if (summary != null) {
            replaceSummary(c, runId, input.summaryMetrics(), summary);
          }
          if (config != null) {
            replaceConfigValues(c, runId, config);
          }
          return new Upserted(RunRows.byId(c, runId), inserted);
        });
  }

  private static void checkInput(RunUpsert in) {
    if (in.entity() != null && !in.entity().isEmpty()) {
      Names.checkName("entity", in.entity());
    }
    if (in.project() != null && !in.project().isEmpty()) {
      Names.checkName("project", in.project());
    }
    if (in.name() != null) {
      Names.checkName("run", in.name());
    }
    Names.checkText("displayName", in.displayName(), MAX_SHORT_TEXT);
    Names.checkText("notes", in.notes(), Names.MAX_TEXT);
    Names.checkText("description", in.description(), Names.MAX_TEXT);
    Names.checkText("groupName", in.group(), MAX_SHORT_TEXT);
    Names.checkText("jobType", in.jobType(), MAX_SHORT_TEXT);
    Names.checkText("host", in.host(), MAX_SHORT_TEXT);
    Names.checkText("program", in.program(), MAX_SHORT_TEXT);
    Names.checkText("repo", in.repo(), MAX_SHORT_TEXT);
    Names.checkText("commit", in.commit(), MAX_SHORT_TEXT);
    Names.checkText("sweep", in.sweep(), MAX_SHORT_TEXT);
    Names.checkText("config", in.config());
    Names.checkText("summaryMetrics", in.summaryMetrics());
    if (in.state() != null && !STATES.contains(in.state())) {
      throw new BadInputException("unknown run state '" + in.state() + "' (one of " + STATES + ")");
    }
    if (in.tags() != null) {
      if (in.tags().size() > MAX_TAGS) {
        throw new BadInputException("more than " + MAX_TAGS + " tags");
      }
      for (String tag : in.tags()) {
        if (tag == null || tag.isEmpty()) {
          throw new BadInputException("empty tag");
        }
        Names.checkText("tag", tag, Names.MAX_NAME);
      }
    }
  }

  /** The run an upsert means: from its fields, else from the storage id sent back. */
  private RunKey keyOf(Connection c, User viewer, String storageId, RunUpsert in)
      throws SQLException {
    String entity = RunRows.entityFor(viewer, in.entity());
    String project = in.project() == null || in.project().isEmpty() ? null : in.project();
    String name = in.name();
    if (storageId != null && !storageId.isEmpty() && (name == null || project == null)) {
      Optional<RunInfo> byId = byStorageId(c, storageId);
      if (byId.isPresent() && byId.get().entity().equals(viewer.name())) {
        project = project == null ? byId.get().project() : project;
        name = name == null ? byId.get().name() : name;
      } else if (name == null) {
        throw new NotFoundException("no such run: " + storageId);
      }
    }
    if (name == null) {
      name = newRunName();
    }
    return new RunKey(entity, RunRows.projectFor(project), name);
  }

  private static Optional<RunInfo> byStorageId(Connection c, String storageId) throws SQLException {
    return Sql.optional(c, RunRows.SELECT + " WHERE r.storage_id = ?", RunRows::read, storageId);
  }

  /** W&B's run id shape: 8 characters of [a-z0-9]. */
  private String newRunName() {
    char[] out = new char[8];
    for (int i = 0; i < out.length; i++) {
      out[i] = RUN_ID_ALPHABET.charAt(random.nextInt(RUN_ID_ALPHABET.length()));
    }
    return new String(out);
  }

  static long projectId(Connection c, String entity, String project, long now) throws SQLException {
    Sql.update(
        c,
        "INSERT INTO projects (entity, name, created_at) VALUES (?, ?, ?)"
            + " ON CONFLICT (entity, name) DO NOTHING",
        entity,
        project,
        now);
    return Sql.single(c, SELECT_PROJECT_ID, rs -> rs.getLong(1), entity, project);
  }

  private static Optional<Long> runId(Connection c, long projectId, String name)
      throws SQLException {
    return Sql.optional(
        c, "SELECT id FROM runs WHERE project_id = ? AND name = ?", rs -> rs.getLong(1), projectId, name);
  }

  private Optional<Long> insert(Connection c, long projectId, RunKey key, RunUpsert in, long now)
      throws SQLException {
    long number =
        Sql.single(
            c,
            "UPDATE projects SET run_counter = run_counter + 1 WHERE id = ? RETURNING run_counter",
            rs -> rs.getLong(1),
            projectId);
    String displayName = in.displayName() != null ? in.displayName() : displayNames.next(number);
    return Sql.optional(
        c,
        "INSERT INTO runs (project_id, name, storage_id, display_name, state, tags, created_at,"
            + " updated_at) VALUES (?, ?, ?, ?, 'running', '[]', ?, ?)"
            + " ON CONFLICT (project_id, name) DO NOTHING RETURNING id",
        rs -> rs.getLong(1),
        projectId,
        key.name(),
        StorageIds.of(key.entity(), key.project(), key.name()),
        displayName,
        now,
        now);
  }

  /** Sets every field the input has (null = unchanged, W&B's rule). */
  private static void update(Connection c, long runId, RunUpsert in, long now) throws SQLException {
    List<String> columns = new ArrayList<>();
    List<Object> values = new ArrayList<>();
    Map<String, String> fields = new LinkedHashMap<>();
    fields.put("display_name", in.displayName());
    fields.put("notes", in.notes());
    fields.put("description", in.description());
    fields.put("group_name", in.group());
    fields.put("job_type", in.jobType());
    fields.put("host", in.host());
    fields.put("program", in.program());
    fields.put("repo", in.repo());
    fields.put("commit_sha", in.commit());
    fields.put("sweep", in.sweep());
    fields.put("state", in.state());
    fields.put("config", in.config());
    for (Map.Entry<String, String> f : fields.entrySet()) {
      if (f.getValue() != null) {
        columns.add(f.getKey());
        values.add(f.getValue());
      }
    }
    if (in.state() != null && in.state().equals("running")) {
      // a run upserted as running again (a resume) has no exit code yet
      columns.add("exit_code");
      values.add(null);
    }
    StringBuilder sql = new StringBuilder("UPDATE runs SET updated_at = ?");
    for (String column : columns) {
      sql.append(", ").append(column).append(" = ?");
    }
    sql.append(" WHERE id = ?");
    try (PreparedStatement ps = c.prepareStatement(sql.toString())) {
      int i = 1;
      ps.setLong(i++, now);
      for (Object v : values) {
        if (v == null) {
          ps.setNull(i++, Types.INTEGER);
        } else {
          ps.setString(i++, (String) v);
        }
      }
      ps.setLong(i, runId);
      ps.executeUpdate();
    }
  }

  private static void replaceTags(Connection c, long runId, List<String> tags) throws SQLException {
    List<String> unique = new ArrayList<>(new LinkedHashSet<>(tags));
    Sql.update(c, "DELETE FROM run_tags WHERE run_id = ?", runId);
    try (PreparedStatement ps =
        c.prepareStatement("INSERT INTO run_tags (run_id, tag) VALUES (?, ?)")) {
      for (String tag : unique) {
        ps.setLong(1, runId);
        ps.setString(2, tag);
        ps.addBatch();
      }
      ps.executeBatch();
    }
    Sql.update(c, "UPDATE runs SET tags = ? WHERE id = ?", JsonTexts.stringArray(unique), runId);
  }

  /** Replaces the summary text and the numbers runs are sorted by. */
  static void replaceSummary(Connection c, long runId, String text, JsonNode summary)
      throws SQLException {
    Sql.update(c, "UPDATE runs SET summary = ? WHERE id = ?", text, runId);
    Sql.update(c, "DELETE FROM run_summary_values WHERE run_id = ?", runId);
    Map<String, Double> numbers = JsonTexts.summaryNumbers(summary);
    if (numbers.isEmpty()) {
      return;
    }
    try (PreparedStatement ps =
        c.prepareStatement(
            "INSERT INTO run_summary_values (run_id, summary_key, num) VALUES (?, ?, ?)")) {
      for (Map.Entry<String, Double> e : numbers.entrySet()) {
        ps.setLong(1, runId);
        ps.setString(2, e.getKey());
        if (e.getValue() == null) {
          ps.setNull(3, Types.DOUBLE);
        } else {
          ps.setDouble(3, e.getValue());
        }
        ps.addBatch();
      }
      ps.executeBatch();
    }
  }

  /** Replaces the config values runs are sorted by (the config text itself is set by update). */
  static void replaceConfigValues(Connection c, long runId, JsonNode config) throws SQLException {
    Sql.update(c, "DELETE FROM run_config_values WHERE run_id = ?", runId);
    Map<String, Object> values = JsonTexts.configValues(config);
    if (values.isEmpty()) {
      return;
    }
    try (PreparedStatement ps =
        c.prepareStatement(
            "INSERT INTO run_config_values (run_id, config_key, num, txt) VALUES (?, ?, ?, ?)")) {
      for (Map.Entry<String, Object> e : values.entrySet()) {
        ps.setLong(1, runId);
        ps.setString(2, e.getKey());
        if (e.getValue() instanceof Double d) {
          ps.setDouble(3, d);
          ps.setNull(4, Types.VARCHAR);
        } else {
          ps.setNull(3, Types.DOUBLE);
          ps.setString(4, (String) e.getValue());
        }
        ps.addBatch();
      }
      ps.executeBatch();
    }
  }

  @Override
  public Optional<RunInfo> find(User viewer, RunKey key) {
    return db.read(c -> RunRows.find(c, viewer, key));
  }

  @Override
  public void requestStop(User viewer, RunKey key) {
    db.write(
        c -> {
          RunInfo run = RunRows.findForUpdate(c, db.dialect(), viewer, key);
          return Sql.update(c, "UPDATE runs SET stop_requested = TRUE WHERE id = ?", run.id());
        });
  }

  @Override
  public boolean raiseAlert(User viewer, RunKey key, Alert alert, long quietSeconds) {
    checkAlert(alert);
    return db.write(
        c -> {
          RunInfo run = RunRows.findForUpdate(c, db.dialect(), viewer, key);
          if (quietSeconds > 0) {
            long quietSince = alert.createdAtMillis() - quietSeconds * 1000;
            boolean recent =
                Sql.optional(
                        c,
                        "SELECT 1 FROM run_alerts WHERE run_id = ? AND title = ? AND created_at > ?",
                        rs -> true,
                        run.id(),
                        alert.title(),
                        quietSince)
                    .isPresent();
            if (recent) {
              return false;
            }
          }
          Sql.update(
              c,
              "INSERT INTO run_alerts (run_id, title, body, severity, created_at)"
                  + " VALUES (?, ?, ?, ?, ?)",
              run.id(),
              alert.title(),
              alert.text(),
              alert.severity(),
              alert.createdAtMillis());
          return true;
        });
  }

  private static void checkAlert(Alert alert) {
    if (alert.title() == null || alert.title().isEmpty()) {
      throw new BadInputException("an alert needs a title");
    }
    if (alert.text() == null) {
      throw new BadInputException("an alert needs a text");
    }
    Names.checkText("alert title", alert.title(), MAX_ALERT_TITLE);
    Names.checkText("alert text", alert.text(), MAX_ALERT_TEXT);
    if (!ALERT_SEVERITIES.contains(alert.severity())) {
      throw new BadInputException(
          "unknown alert severity '" + alert.severity() + "' (one of INFO, WARN, ERROR)");
    }
  }

  @Override
  public List<Alert> alerts(User viewer, RunKey key, int limit) {
    return db.read(
        c -> {
          RunInfo run = RunRows.find(c, viewer, key).orElseThrow(() -> RunRows.notFound(key));
          return Sql.list(
              c,
              "SELECT title, body, severity, created_at FROM run_alerts WHERE run_id = ?"
                  + " ORDER BY id LIMIT ?",
              rs ->
                  new Alert(
                      rs.getString("title"),
                      rs.getString("body"),
                      rs.getString("severity"),
                      rs.getLong("created_at")),
              run.id(),
              limit);
        });
  }

  @Override
  public List<RunInfo> markSilentRunsCrashed(long silentSinceMillis) {
    long now = System.currentTimeMillis();
    return db.write(
        c -> {
          // the rows are selected and updated in one write transaction, which SQLite serializes
          // and PostgreSQL's row locks (FOR UPDATE) keep from racing a post that revives a run
          String lock = db.dialect() == Dialect.POSTGRESQL ? " FOR UPDATE OF r" : "";
          List<RunInfo> silent =
              Sql.list(
                  c,
                  RunRows.SELECT
                      + " WHERE r.state = 'running' AND COALESCE(r.heartbeat_at, r.created_at) < ?"
                      + " ORDER BY r.id LIMIT ?"
                      + lock,
                  RunRows::read,
                  silentSinceMillis,
                  MAX_CRASHED_PER_CALL);
          List<RunInfo> marked = new ArrayList<>(silent.size());
          for (RunInfo run : silent) {
            Sql.update(
                c, "UPDATE runs SET state = 'crashed', updated_at = ? WHERE id = ?", now, run.id());
            marked.add(RunRows.byId(c, run.id()));
          }
          return marked;
        });
  }

  @Override
  public List<String> entities(User viewer) {
    return List.of(viewer.name());
  }

  @Override
  public List<ProjectInfo> projects(User viewer, String entity) {
    String e = RunRows.entityFor(viewer, entity);
    return db.read(
        c ->
            Sql.list(
                c,
                "SELECT p.name, p.created_at, COUNT(r.id) FROM projects p"
                    + " LEFT JOIN runs r ON r.project_id = p.id WHERE p.entity = ?"
                    + " GROUP BY p.id, p.name, p.created_at ORDER BY p.name",
                rs -> new ProjectInfo(e, rs.getString(1), rs.getLong(3), rs.getLong(2)),
                e));
  }

  @Override
  public RunPage list(User viewer, RunFilter filter) {
    String entity = RunRows.entityFor(viewer, filter.entity());
    RunQuery query = RunQuery.of(filter, db.dialect());
    return db.read(
        c -> {
          long projectId = projectIdOrNotFound(c, entity, RunRows.projectFor(filter.project()));
          return query.page(c, projectId);
        });
  }

  @Override
  public ProjectKeys keys(User viewer, String entity, String project) {
    String e = RunRows.entityFor(viewer, entity);
    return db.read(
        c -> {
          long projectId = projectIdOrNotFound(c, e, RunRows.projectFor(project));
          return ProjectKeyScan.scan(c, projectId);
        });
  }

  private static long projectIdOrNotFound(Connection c, String entity, String project)
      throws SQLException {
    return Sql.optional(c, SELECT_PROJECT_ID, rs -> rs.getLong(1), entity, project)
        .orElseThrow(() -> new NotFoundException("no such project: " + entity + "/" + project));
  }
}
