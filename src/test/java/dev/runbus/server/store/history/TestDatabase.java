package dev.runbus.server.store.history;

import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.runbus.server.store.sql.Database;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Locale;
import java.util.UUID;

/**
 * A real database for one test, opened and migrated by the store's {@link Database} (V1 and the
 * history layout's V2): SQLite in a temporary directory, or a fresh schema of the PostgreSQL named
 * by {@code RUNBUS_TEST_PG_URL} (or {@code -Drunbus.test.pg.url}). Without one, PostgreSQL tests
 * are skipped, unless {@code -Drunbus.test.pg.required=true} (or {@code
 * RUNBUS_TEST_PG_REQUIRED=true}): then they fail, so a green run proves they ran.
 */
final class TestDatabase implements AutoCloseable {
  static final String SQLITE = "sqlite";
  static final String POSTGRESQL = "postgresql";

  private final Database db;
  private final String pgUrl;
  private final String schema;

  private TestDatabase(Database db, String pgUrl, String schema) {
    this.db = db;
    this.pgUrl = pgUrl;
    this.schema = schema;
  }

  static TestDatabase open(String kind, Path dir) throws SQLException {
    return kind.equals(SQLITE) ? sqlite(dir) : postgres();
  }

  static TestDatabase sqlite(Path dir) {
    return new TestDatabase(Database.openSqlite(dir), null, null);
  }

  static TestDatabase postgres() throws SQLException {
    String base = System.getProperty("runbus.test.pg.url");
    if (base == null || base.isBlank()) {
      base = System.getenv("RUNBUS_TEST_PG_URL");
    }
    String problem = null;
    if (base == null || base.isBlank()) {
      problem = "no PostgreSQL URL (set RUNBUS_TEST_PG_URL or -Drunbus.test.pg.url)";
    } else {
      try (Connection c = DriverManager.getConnection(base)) {
        c.isValid(5);
      } catch (SQLException e) {
        problem = "PostgreSQL at the test URL does not answer: " + e.getMessage();
      }
    }
    if (problem != null) {
      if (pgRequired()) {
        fail(problem + ", and runbus.test.pg.required is true");
      }
      assumeTrue(false, problem);
    }
    String schema = "h_" + UUID.randomUUID().toString().replace("-", "").substring(0, 16);
    try (Connection c = DriverManager.getConnection(base);
        Statement s = c.createStatement()) {
      s.execute("CREATE SCHEMA " + schema);
    }
    String url = base + (base.contains("?") ? "&" : "?") + "currentSchema=" + schema;
    return new TestDatabase(Database.open(url), base, schema);
  }

  private static boolean pgRequired() {
    String flag = System.getProperty("runbus.test.pg.required");
    if (flag == null) {
      flag = System.getenv("RUNBUS_TEST_PG_REQUIRED");
    }
    return flag != null && flag.trim().toLowerCase(Locale.ROOT).equals("true");
  }

  /** A connection in a transaction (auto-commit off), as the store hands the history layout. */
  Connection connect() throws SQLException {
    Connection c = db.dataSource().getConnection();
    c.setAutoCommit(false);
    return c;
  }

  @Override
  public void close() throws SQLException {
    db.close();
    if (schema != null) {
      try (Connection c = DriverManager.getConnection(pgUrl);
          Statement s = c.createStatement()) {
        s.execute("DROP SCHEMA IF EXISTS " + schema + " CASCADE");
      }
    }
  }
}
