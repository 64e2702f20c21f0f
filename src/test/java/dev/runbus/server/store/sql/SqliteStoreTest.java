package dev.runbus.server.store.sql;

import dev.runbus.server.ServerConfig;
import java.nio.file.Path;
import org.junit.jupiter.api.io.TempDir;

/** The store's contract on SQLite, in a temporary data directory. */
class SqliteStoreTest extends StoreContractTest {
  @TempDir Path data;
  private int opened;

  @Override
  protected SqlServerStore openStore() {
    // each call starts on an empty database
    Path dir = data.resolve("db" + opened++);
    return SqlServerStore.open(ServerConfig.defaults(dir));
  }

  @Override
  protected String databaseArgument() {
    return data.resolve("db" + (opened - 1)).toString();
  }

  @Override
  protected SqlServerStore reopenStore() {
    return SqlServerStore.open(ServerConfig.defaults(data.resolve("db" + (opened - 1))));
  }
}
