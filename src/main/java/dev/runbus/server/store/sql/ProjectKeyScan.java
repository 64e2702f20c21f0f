package dev.runbus.server.store.sql;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import dev.runbus.server.store.Runs.ProjectKeys;
import java.io.IOException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * The config and summary keys of a project's most recent runs (the run table's column picker).
 * Each stored text is read by a streaming parse of its top level only, one row at a time, so the
 * memory held is the two key sets, whatever the size of the configs.
 */
final class ProjectKeyScan {
  /** Summary keys W&B sets itself that are worth a column. */
  private static final Set<String> SYSTEM_SUMMARY_KEYS = Set.of("_runtime", "_step");

  private ProjectKeyScan() {}

  static ProjectKeys scan(Connection c, long projectId) throws SQLException {
    Set<String> config = new TreeSet<>();
    Set<String> summary = new TreeSet<>();
    try (PreparedStatement ps =
        c.prepareStatement(
            "SELECT config, summary FROM runs WHERE project_id = ?"
                + " ORDER BY created_at DESC, id DESC LIMIT ?")) {
      ps.setLong(1, projectId);
      ps.setInt(2, ProjectKeys.MAX_RUNS);
      // a config or summary text may be up to 1 MiB: a few rows in memory at a time
      // (PostgreSQL streams inside the read transaction)
      ps.setFetchSize(10);
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          topLevelKeys(rs.getString(1), config, false);
          topLevelKeys(rs.getString(2), summary, true);
        }
      }
    }
    return new ProjectKeys(new ArrayList<>(config), new ArrayList<>(summary));
  }

  /** Adds the text's top-level field names to {@code into}, up to {@link ProjectKeys#MAX_KEYS}. */
  static void topLevelKeys(String text, Set<String> into, boolean summary) {
    if (text == null || text.isEmpty()) {
      return;
    }
    try (JsonParser p = JsonTexts.MAPPER.getFactory().createParser(text)) {
      if (p.nextToken() != JsonToken.START_OBJECT) {
        return;
      }
      while (p.nextToken() == JsonToken.FIELD_NAME) {
        String name = p.currentName();
        p.nextToken();
        p.skipChildren();
        if (into.size() < ProjectKeys.MAX_KEYS && wanted(name, summary)) {
          into.add(name);
        }
      }
    } catch (IOException e) {
      // stored texts were checked as JSON objects on the way in; one that is not adds nothing
    }
  }

  private static boolean wanted(String name, boolean summary) {
    if (summary) {
      return !name.startsWith("_") || SYSTEM_SUMMARY_KEYS.contains(name);
    }
    return !name.equals(JsonTexts.WANDB_CONFIG_KEY);
  }
}
