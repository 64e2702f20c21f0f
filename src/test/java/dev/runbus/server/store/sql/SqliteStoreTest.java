package dev.runbus.server.store.sql;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.runbus.server.ServerConfig;
import dev.runbus.server.store.FileStreams;
import dev.runbus.server.store.RunKey;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The store's contract on SQLite, in a temporary data directory; and what only SQLite needs. */
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

  @Test
  void aPostWaitsForAWriterInAnotherProcess() throws Exception {
    RunKey key = create(alice, "p", "r");
    Path file = Path.of(databaseArgument()).resolve(Database.SQLITE_FILE);
    // a connection outside the store, as a `server key create` in another process would have
    try (Connection other = DriverManager.getConnection("jdbc:sqlite:" + file + "?busy_timeout=10000")) {
      other.setAutoCommit(false);
      try (Statement s = other.createStatement()) {
        s.executeUpdate("INSERT INTO users (name, created_at) VALUES ('zed', 0)");
      }
      CompletableFuture<FileStreams.Applied> applied =
          CompletableFuture.supplyAsync(
              () -> store.fileStreams().apply(alice, key, post("wandb-history.jsonl", 0, historyLines(0, 3))));
      // not a synchronization: the post must succeed however long the other writer holds the lock;
      // the pause only gives it the time to start, so that the race this test is about happens
      Thread.sleep(300);
      other.commit();
      assertEquals(3, applied.get(30, TimeUnit.SECONDS).historyLineCount());
    }
    assertEquals(historyLines(0, 3), allHistory(run(alice, key).id()));
    assertTrue(store.accounts().listKeys().stream().noneMatch(k -> k.userName().equals("zed")));
  }
}
