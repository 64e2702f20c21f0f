package dev.runbus.server.store.sql;

import dev.runbus.server.ServerConfig;
import dev.runbus.server.store.Accounts;
import dev.runbus.server.store.Dialect;
import dev.runbus.server.store.FileStreams;
import dev.runbus.server.store.RunData;
import dev.runbus.server.store.RunFiles;
import dev.runbus.server.store.Runs;
import dev.runbus.server.store.ServerStore;
import dev.runbus.server.store.history.HistoryStore;
import dev.runbus.server.store.history.JdbcHistoryStore;

/** The server's store on one JDBC database (SQLite or PostgreSQL). */
public final class SqlServerStore implements ServerStore {
  private final Database db;
  private final Accounts accounts;
  private final Runs runs;
  private final FileStreams fileStreams;
  private final RunFiles files;
  private final RunData data;

  public SqlServerStore(Database db, HistoryStore history) {
    this.db = db;
    this.accounts = new SqlAccounts(db);
    this.runs = new SqlRuns(db);
    this.fileStreams = new SqlFileStreams(db, history);
    this.files = new SqlRunFiles(db);
    this.data = new SqlRunData(db, history);
  }

  /** Opens the configured database (SQLite in the data directory unless a JDBC URL is set). */
  public static SqlServerStore open(ServerConfig config) {
    Database db =
        config.jdbcUrl() == null || config.jdbcUrl().isEmpty()
            ? Database.openSqlite(config.dataDirectory())
            : Database.open(config.jdbcUrl());
    return new SqlServerStore(db, historyStore());
  }

  /** The history layout. The one place that names it. */
  static HistoryStore historyStore() {
    return new JdbcHistoryStore();
  }

  public Database database() {
    return db;
  }

  @Override
  public Accounts accounts() {
    return accounts;
  }

  @Override
  public Runs runs() {
    return runs;
  }

  @Override
  public FileStreams fileStreams() {
    return fileStreams;
  }

  @Override
  public RunFiles files() {
    return files;
  }

  @Override
  public RunData data() {
    return data;
  }

  @Override
  public String databaseKind() {
    return db.dialect() == Dialect.SQLITE ? "sqlite" : "postgresql";
  }

  @Override
  public void close() {
    db.close();
  }
}
