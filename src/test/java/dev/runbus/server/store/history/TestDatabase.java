package dev.runbus.server.store.history;

import dev.runbus.server.store.sql.Database;
import dev.runbus.testing.TestPostgres;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;

/**
 * A real database for one test, opened and migrated by the store's {@link Database} (V1 and the
 * history layout's V2): SQLite in a temporary directory, or a fresh schema of the tests'
 * PostgreSQL ({@link TestPostgres}: skipped without one, unless it is required).
 */
final class TestDatabase implements AutoCloseable {
  static final String SQLITE = "sqlite";
  static final String POSTGRESQL = "postgresql";

  private final Database db;
  private final TestPostgres.Schema schema;

  private TestDatabase(Database db, TestPostgres.Schema schema) {
    this.db = db;
    this.schema = schema;
  }

  static TestDatabase open(String kind, Path dir) throws SQLException {
    return kind.equals(SQLITE) ? sqlite(dir) : postgres();
  }

  static TestDatabase sqlite(Path dir) {
    return new TestDatabase(Database.openSqlite(dir), null);
  }

  static TestDatabase postgres() throws SQLException {
    TestPostgres.assumeAvailable();
    TestPostgres.Schema schema = TestPostgres.newSchema("h_");
    return new TestDatabase(Database.open(schema.url()), schema);
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
      schema.close();
    }
  }
}
