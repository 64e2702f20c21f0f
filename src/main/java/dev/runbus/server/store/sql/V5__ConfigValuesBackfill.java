package dev.runbus.server.store.sql;

import com.fasterxml.jackson.databind.JsonNode;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import org.flywaydb.core.api.migration.BaseJavaMigration;
import org.flywaydb.core.api.migration.Context;

/**
 * Fills run_config_values (V4) for the runs stored before it existed, so they sort by config
 * like new ones. Runs are read a page at a time by id; a config that no longer parses is skipped
 * (it was checked on the way in). Registered in {@link Database}: Java migrations there are
 * passed by instance, not found by a class-path scan.
 */
final class V5__ConfigValuesBackfill extends BaseJavaMigration {
  private static final int PAGE = 500;

  @Override
  public void migrate(Context context) throws SQLException {
    Connection c = context.getConnection();
    long after = 0;
    while (true) {
      int read = 0;
      try (PreparedStatement ps =
          c.prepareStatement(
              "SELECT id, config FROM runs WHERE id > ? AND config IS NOT NULL ORDER BY id LIMIT ?")) {
        ps.setLong(1, after);
        ps.setInt(2, PAGE);
        try (ResultSet rs = ps.executeQuery()) {
          while (rs.next()) {
            read++;
            after = rs.getLong(1);
            JsonNode config;
            try {
              config = JsonTexts.object("config", rs.getString(2));
            } catch (RuntimeException e) {
              continue;
            }
            SqlRuns.replaceConfigValues(c, after, config);
          }
        }
      }
      if (read < PAGE) {
        return;
      }
    }
  }
}
