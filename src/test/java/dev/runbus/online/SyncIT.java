package dev.runbus.online;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.runbus.log.LogEntry;
import dev.runbus.log.LogReader;
import dev.runbus.log.TornTail;
import dev.runbus.proto.Record;
import dev.runbus.testing.ChildProcess;
import dev.runbus.testing.ReadApiClient;
import java.io.RandomAccessFile;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code runbus sync} of an offline run killed with SIGKILL while logging: the server gets every
 * row up to the log's torn tail, once, and the run is marked crashed; a second {@code sync} of the
 * same run makes no request at all and says it sent nothing.
 */
class SyncIT {
  private static final int METRICS = 3;
  private static final String RUN = "killed";

  @TempDir Path dir;

  @Test
  @Timeout(value = 4, unit = TimeUnit.MINUTES)
  void aKilledRunSyncsUpToItsTornTailOnceAndASecondSyncSendsNothing() throws Exception {
    try (OnlineServer server = OnlineServer.start(dir, 1_000)) {
      Path log;
      try (ChildProcess client =
          server.child(
              dir.resolve("client"), RUN, METRICS, "-", List.of("-Xmx256m"), Duration.ofMinutes(1))) {
        log = Path.of(client.await("LOG ", Duration.ofSeconds(60)));
        assertEquals("OFFLINE", client.await("MODE ", Duration.ofSeconds(10)));
        client.send("paced 2000");
        client.await("STEP 6000", Duration.ofSeconds(60)); // three seconds: several flushes
        client.kill();
      }
      long intact = tearTail(log);
      assertTrue(intact >= 2_000, "rows on disk before the kill: " + intact);

      try (ChildProcess sync = server.sync(server.key().key(), log.getParent().toString())) {
        assertEquals(0, sync.exitCode(Duration.ofMinutes(2)), sync.output());
        String said = String.join("\n", sync.stdout());
        assertTrue(said.contains("crashed"), said);
        assertTrue(said.contains("torn"), said);
      }
      ReadApiClient reader = server.reader(RUN);
      assertEquals("crashed", reader.run().getString("state"));
      Rows.assertEveryRowOnce(reader, intact, METRICS);

      int before = server.proxy().requests().size();
      try (ChildProcess again = server.sync(server.key().key(), log.getParent().toString())) {
        assertEquals(0, again.exitCode(Duration.ofMinutes(2)), again.output());
        List<String> requests = server.proxy().requests();
        assertEquals(
            List.of(),
            requests.subList(before, requests.size()),
            "the second sync's requests; it said:\n" + again.output());
        String said = String.join("\n", again.stdout());
        assertTrue(said.contains("nothing sent"), said);
      }
      assertEquals("crashed", reader.run().getString("state"));
      Rows.assertEveryRowOnce(reader, intact, METRICS);
    }
  }

  /**
   * Makes sure the log ends in a torn record, as a kill in the middle of a write leaves it (when
   * the kill happened to fall between writes, the last record loses its last 3 bytes), and returns
   * the history rows before it, checked to be steps 0 to n-1.
   */
  private static long tearTail(Path log) throws Exception {
    Scan clean = scan(log);
    if (clean.torn == null) {
      try (RandomAccessFile file = new RandomAccessFile(log.toFile(), "rw")) {
        file.setLength(clean.end - 3); // past the end may be a block's zero padding
      }
    }
    Scan scan = scan(log);
    assertNotNull(scan.torn, "the log ends in a torn record");
    return scan.rows;
  }

  /** The history rows of the log's intact part, how it ends, and where its last chunk ended. */
  private record Scan(long rows, TornTail torn, long end) {}

  private static Scan scan(Path log) throws Exception {
    long rows = 0;
    try (LogReader reader = LogReader.open(log)) {
      LogEntry entry;
      while ((entry = reader.next()) != null) {
        Record record = Record.parseFrom(entry.payload());
        if (record.hasHistory()) {
          assertEquals(rows, record.getHistory().getStep().getNum(), "steps on disk in order");
          rows++;
        }
      }
      return new Scan(rows, reader.tornTail(), reader.position());
    }
  }
}
