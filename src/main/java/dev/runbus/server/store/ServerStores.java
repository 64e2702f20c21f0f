package dev.runbus.server.store;

import dev.runbus.server.ServerConfig;
import dev.runbus.server.store.sql.SqlServerStore;

/** Opens the store a configuration names: SQLite in the data directory, or the JDBC URL's database. */
public final class ServerStores {
  private ServerStores() {}

  /** Opens the database, applies pending migrations, and returns the store on it. */
  public static ServerStore open(ServerConfig config) {
    return SqlServerStore.open(config);
  }
}
