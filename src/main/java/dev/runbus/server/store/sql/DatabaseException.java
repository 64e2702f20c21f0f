package dev.runbus.server.store.sql;

import java.sql.SQLException;

/**
 * A failure of the database itself. Its message never reaches a client (the store's contract:
 * such failures are answered 500 or 503 without their text); the cause is for the server log.
 */
public final class DatabaseException extends RuntimeException {
  public DatabaseException(SQLException cause) {
    super("database failure: " + cause.getMessage(), cause);
  }
}
