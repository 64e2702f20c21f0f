package dev.runbus.server.e2e;

import static org.junit.jupiter.api.Assertions.fail;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.UUID;
import org.junit.jupiter.api.Named;

/**
 * The databases an end-to-end test runs its server on: SQLite always (null: the data directory's
 * own), and PostgreSQL when {@code RUNBUS_TEST_PG_URL} (or {@code -Drunbus.test.pg.url}) names one,
 * in a fresh schema. When {@code RUNBUS_TEST_PG_REQUIRED} is true, a missing PostgreSQL fails the
 * test instead of leaving it out, so CI proves both ran.
 */
final class Databases {
  private Databases() {}

  static List<Named<String>> all() {
    List<Named<String>> databases = new ArrayList<>();
    databases.add(Named.of("SQLite", null));
    String url = url();
    if (url == null) {
      if (required()) {
        fail("PostgreSQL is required (RUNBUS_TEST_PG_REQUIRED) but RUNBUS_TEST_PG_URL is not set");
      }
      return databases;
    }
    databases.add(Named.of("PostgreSQL", freshSchema(url)));
    return databases;
  }

  private static String freshSchema(String url) {
    String schema = "e2e_" + UUID.randomUUID().toString().replace("-", "").substring(0, 16);
    try (Connection c = DriverManager.getConnection(url);
        Statement s = c.createStatement()) {
      s.execute("CREATE SCHEMA " + schema);
    } catch (SQLException e) {
      if (required()) {
        fail("PostgreSQL at RUNBUS_TEST_PG_URL does not answer: " + e.getMessage());
      }
      return null;
    }
    return url + (url.contains("?") ? "&" : "?") + "currentSchema=" + schema;
  }

  private static String url() {
    String url = System.getProperty("runbus.test.pg.url");
    if (url == null || url.isBlank()) {
      url = System.getenv("RUNBUS_TEST_PG_URL");
    }
    return url == null || url.isBlank() ? null : url;
  }

  private static boolean required() {
    String flag = System.getProperty("runbus.test.pg.required");
    if (flag == null) {
      flag = System.getenv("RUNBUS_TEST_PG_REQUIRED");
    }
    return flag != null && flag.trim().toLowerCase(Locale.ROOT).equals("true");
  }
}
