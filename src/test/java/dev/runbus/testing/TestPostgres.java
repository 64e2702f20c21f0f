package dev.runbus.testing;

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
 * Each test gets a schema of its own, so test classes may run in parallel.
 */
public final class TestPostgres {
  private TestPostgres() {}

  /** A fresh schema and the URL whose connections use it; closing it drops the schema. */
  public record Schema(String name, String url) implements AutoCloseable {
    @Override
    public void close() throws SQLException {
      execute("DROP SCHEMA IF EXISTS " + name + " CASCADE");
    }
  }

  /** The configured URL, or null when none is. */
  public static String url() {
    String url = System.getProperty("runbus.test.pg.url");
    if (url == null || url.isBlank()) {
      url = System.getenv("RUNBUS_TEST_PG_URL");
    }
    return url == null || url.isBlank() ? null : url;
  }

  public static boolean required() {
    String flag = System.getProperty("runbus.test.pg.required");
    if (flag == null) {
      flag = System.getenv("RUNBUS_TEST_PG_REQUIRED");
    }
    return flag != null && flag.trim().toLowerCase(Locale.ROOT).equals("true");
  }

  /** Why the tests cannot use PostgreSQL, or null when they can. */
  public static String problem() {
    String url = url();
    if (url == null) {
      return "no PostgreSQL URL (set RUNBUS_TEST_PG_URL or -Drunbus.test.pg.url)";
    }
    try (Connection c = DriverManager.getConnection(url)) {
      c.isValid(5);
      return null;
    } catch (SQLException e) {
      return "PostgreSQL at the test URL does not answer: " + e.getMessage();
    }
  }

  /** Skips the calling test when no PostgreSQL is there, or fails it when one is required. */
  public static void assumeAvailable() {
    String problem = problem();
    if (problem != null) {
      if (required()) {
        fail(problem + ", and runbus.test.pg.required is true");
      }
      assumeTrue(false, problem);
    }
  }

  /** Creates a schema named {@code prefix} and a random suffix. */
  public static Schema newSchema(String prefix) throws SQLException {
    String name = prefix + UUID.randomUUID().toString().replace("-", "").substring(0, 16);
    execute("CREATE SCHEMA " + name);
    String url = url();
    return new Schema(name, url + (url.contains("?") ? "&" : "?") + "currentSchema=" + name);
  }

  private static void execute(String sql) throws SQLException {
    try (Connection c = DriverManager.getConnection(url());
        Statement s = c.createStatement()) {
      s.execute(sql);
    }
  }
}
