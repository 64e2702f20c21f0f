package dev.runbus.server.store.sql;

import dev.runbus.server.ServerConfig;
import dev.runbus.testing.TestPostgres;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.TempDir;

/** The store's contract on PostgreSQL, each test in a schema of its own (see TestPostgres). */
class PostgresStoreTest extends StoreContractTest {
  @TempDir Path data;
  private final List<TestPostgres.Schema> schemas = new ArrayList<>();
  private String lastUrl;

  @BeforeEach
  void needsPostgres() {
    TestPostgres.assumeAvailable();
  }

  @Override
  protected SqlServerStore openStore() throws Exception {
    // the contract's own @BeforeEach opens the store before this class's @BeforeEach runs
    TestPostgres.assumeAvailable();
    TestPostgres.Schema schema = TestPostgres.newSchema("t_");
    schemas.add(schema);
    lastUrl = schema.url();
    return reopenStore();
  }

  @Override
  protected String databaseArgument() {
    return lastUrl;
  }

  @Override
  protected SqlServerStore reopenStore() {
    ServerConfig d = ServerConfig.defaults(data);
    return SqlServerStore.open(
        new ServerConfig(d.host(), d.port(), data, lastUrl, null, d.maxBodyBytes(), d.maxUploadBytes()));
  }

  @AfterEach
  void dropSchemas() throws Exception {
    if (store != null) {
      store.close();
      store = null;
    }
    for (TestPostgres.Schema s : schemas) {
      s.close();
    }
  }
}
