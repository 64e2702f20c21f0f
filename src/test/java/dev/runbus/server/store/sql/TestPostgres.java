package dev.runbus.server.store.sql;

import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Locale;
import java.util.UUID;

/**
 * The PostgreSQL the tests may use: its URL comes from the system property {@code
 * runbus.test.pg.url} or the environment variable {@code RUNBUS_TEST_PG_URL}. Without one, or
 * when it does not answer, PostgreSQL tests are skipped, unless {@code runbus.test.pg.required}
 * (or {@code RUNBUS_TEST_PG_REQUIRED}) is true: then they fail, so a green CI run proves they ran.
 * Each test gets its own schema, so test classes may run in parallel.
 */
final class TestPostgres {
  private TestPostgres() {}

  static String url() {
    String url = System.getProperty("runbus.test.pg.url");
    return url != null && !url.isBlank() ? url : System.getenv("RUNBUS_TEST_PG_URL");
  }

  static boolean required() {
    String flag = System.getProperty("runbus.test.pg.required");
    if (flag == null) {
      flag = System.getenv("RUNBUS_TEST_PG_REQUIRED");
    }
    return flag != null && flag.trim().toLowerCase(Locale.ROOT).equals("true");
  }

  /** Skips the calling test when no PostgreSQL is there, or fails it when one is required. */
  static void assumeAvailable() {
    String url = url();
    String problem = null;
    if (url == null || url.isBlank()) {
      problem = "no PostgreSQL URL (set RUNBUS_TEST_PG_URL or -Drunbus.test.pg.url)";
    } else {
      try (Connection c = DriverManager.getConnection(url)) {
        c.isValid(5);
      } catch (SQLException e) {
        problem = "PostgreSQL at the test URL does not answer: " + e.getMessage();
      }
    }
    if (problem != null) {
      if (required()) {
        fail(problem + ", and runbus.test.pg.required is true");
      }
      assumeTrue(false, problem);
    }
  }

  /** Creates a fresh schema and returns the URL whose connections use it. */
  static String newSchemaUrl(String[] schemaOut) throws SQLException {
    String schema = "t_" + UUID.randomUUID().toString().replace("-", "").substring(0, 16);
    try (Connection c = DriverManager.getConnection(url());
        Statement s = c.createStatement()) {
      s.execute("CREATE SCHEMA " + schema);
    }
    schemaOut[0] = schema;
    String url = url();
    return url + (url.contains("?") ? "&" : "?") + "currentSchema=" + schema;
  }

  static void dropSchema(String schema) throws SQLException {
    if (schema == null) {
      return;
    }
    try (Connection c = DriverManager.getConnection(url());
        Statement s = c.createStatement()) {
      s.execute("DROP SCHEMA IF EXISTS " + schema + " CASCADE");
    }
  }
}
