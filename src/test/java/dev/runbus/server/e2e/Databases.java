package dev.runbus.server.e2e;

import static org.junit.jupiter.api.Assertions.fail;

import dev.runbus.testing.TestPostgres;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Named;

/**
 * The databases an end-to-end test runs its server on: SQLite always (null: the data directory's
 * own), and the tests' PostgreSQL ({@link TestPostgres}) when there is one, in a fresh schema. When
 * PostgreSQL is required, a missing one fails the test instead of leaving it out, so CI proves
 * both ran.
 */
final class Databases {
  private Databases() {}

  static List<Named<String>> all() throws SQLException {
    List<Named<String>> databases = new ArrayList<>();
    databases.add(Named.of("SQLite", null));
    String problem = TestPostgres.problem();
    if (problem == null) {
      // the server process owns the schema; it is left for the database's owner to drop
      databases.add(Named.of("PostgreSQL", TestPostgres.newSchema("e2e_").url()));
    } else if (TestPostgres.required()) {
      fail(problem + ", and runbus.test.pg.required is true");
    }
    return databases;
  }
}
