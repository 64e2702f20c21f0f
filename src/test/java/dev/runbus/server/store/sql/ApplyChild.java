package dev.runbus.server.store.sql;

import dev.runbus.server.ServerConfig;
import dev.runbus.server.store.FileStreamPost;
import dev.runbus.server.store.FileStreamPost.Chunk;
import dev.runbus.server.store.RunKey;
import dev.runbus.server.store.User;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * A child JVM for the durability test: opens the store, then applies history batches to one run
 * forever, printing {@code acked <lines>} after each apply returned. The parent kills it.
 * Arguments: the database (a data directory, or a JDBC URL), the API key, project, run.
 */
public final class ApplyChild {
  static final int BATCH = 50;

  public static void main(String[] args) {
    String database = args[0];
    ServerConfig d = ServerConfig.defaults(Path.of(database.startsWith("jdbc:") ? "." : database));
    ServerConfig config =
        database.startsWith("jdbc:")
            ? new ServerConfig(d.host(), d.port(), d.dataDirectory(), database, null, d.maxBodyBytes(), d.maxUploadBytes())
            : d;
    SqlServerStore store = SqlServerStore.open(config);
    User user = store.accounts().userForKey(args[1]).orElseThrow();
    RunKey key = new RunKey(user.name(), args[2], args[3]);
    long offset = store.runs().find(user, key).orElseThrow().historyLineCount();
    while (true) {
      List<String> lines = StoreContractTest.historyLines((int) offset, BATCH);
      FileStreamPost post =
          new FileStreamPost(Map.of("wandb-history.jsonl", new Chunk(offset, lines)), List.of(), false, null, false);
      offset = store.fileStreams().apply(user, key, post).historyLineCount();
      System.out.println("acked " + offset);
      System.out.flush();
    }
  }
}
