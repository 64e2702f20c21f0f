package dev.runbus.filestream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.runbus.proto.FileStreamProgress;
import dev.runbus.proto.SummaryRecord;
import dev.runbus.testing.FaultProxy;
import dev.runbus.testing.FaultProxy.Fault;
import io.vertx.core.Vertx;
import io.vertx.junit5.VertxExtension;
import java.net.URI;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * Faults between the FileStream and a real server (FaultProxy on loopback), refusals, the mark, a
 * backlog and a torn tail: nothing lost, nothing stored twice.
 */
@ExtendWith(VertxExtension.class)
class FileStreamFaultsTest {

  @TempDir Path tmp;
  StreamHarness h;
  FaultProxy proxy;

  @BeforeEach
  void start(Vertx vertx) throws Exception {
    h = new StreamHarness(vertx, tmp);
    proxy = FaultProxy.start(vertx, h.server.port(), 3_000);
  }

  @AfterEach
  void stop() throws Exception {
    proxy.close();
    h.close();
  }

  private URI viaProxy() {
    return URI.create("http://127.0.0.1:" + proxy.port());
  }

  /** A log of {@code rows} rows, closed, with exit 0. */
  private void wholeLog(long rows) throws Exception {
    h.openLog();
    h.rows(0, rows, 10);
    h.exit(0, SummaryRecord.getDefaultInstance());
    h.closeLog();
  }

  @Test
  void everyTransientFaultIsRetriedWithTheSameOffsetsAndNothingIsStoredTwice() throws Exception {
    h.openLog();
    h.rows(0, 100, 10);
    h.flush();
    // a 1 KiB request limit: many posts, each hit by one kind of fault in turn
    FileStreamSettings settings = StreamHarness.fast().withMaxRequestBytes(4096);
    proxy
        .next(Fault.SERVER_ERROR, 2)
        .next(Fault.PASS, 1)
        .next(Fault.TOO_MANY_REQUESTS, 1)
        .next(Fault.PASS, 1)
        .next(Fault.DROP_REQUEST, 2)
        .next(Fault.PASS, 1)
        .next(Fault.DROP_RESPONSE, 2)
        .next(Fault.PASS, 1)
        .next(Fault.STALL, 1);
    h.deploy(h.setup(viaProxy(), h.alice.key(), false), settings);
    h.target();
    h.rows(100, 200, 10);
    h.exit(0, SummaryRecord.getDefaultInstance());
    h.closeLog();
    h.flushed(true);
    FileStreamProgress done = h.finish(true, 0, 60);

    assertTrue(done.getComplete(), done.toString());
    assertTrue(done.getRetries() >= 8, done.toString());
    FileStreamTest.assertRows(h.history(), 300, 10);
    assertEquals("finished", h.run().getString("state"));
  }

  @Test
  void aRefusalStopsTheStreamAndNothingMoreIsPosted() throws Exception {
    wholeLog(300);
    h.deploy(
        h.setup(viaProxy(), "not-a-key-of-this-server-0000000000000000", true),
        StreamHarness.fast().withMaxRequestBytes(4096));
    h.target();
    FileStreamProgress done = h.finish(true, 0, 30);

    assertTrue(done.getGaveUp(), done.toString());
    assertTrue(done.getFailure().contains("401"), done.getFailure());
    assertFalse(done.getComplete());
    assertEquals(1, proxy.seen(), "posts after the refusal");
    assertEquals(0, h.history().size());
    assertFalse(Files.exists(h.runDir.resolve("run-" + StreamHarness.RUN + ".wandb.synced")));
  }

  @Test
  void aSecondStreamOnTheSameLogSendsNothing() throws Exception {
    wholeLog(200);
    h.deploy(h.setup(viaProxy(), h.alice.key(), true), StreamHarness.fast());
    h.target();
    assertTrue(h.finish(true, 0, 30).getComplete());
    h.undeploy();
    long posts = proxy.seen();

    h.deploy(h.setup(viaProxy(), h.alice.key(), true), StreamHarness.fast());
    h.target();
    FileStreamProgress again = h.finish(true, 0, 30);

    assertTrue(again.getComplete(), again.toString());
    assertEquals(posts, proxy.seen(), "posts of the second stream");
    FileStreamTest.assertRows(h.history(), 200, 10);
  }

  @Test
  void aMarkMidwayResumesAfterWhatWasAcknowledged() throws Exception {
    h.openLog();
    h.rows(0, 150, 10);
    h.flush();
    h.deploy(h.setup(viaProxy(), h.alice.key(), false), StreamHarness.fast());
    h.target();
    h.flushed(false);
    // a drain-only finish cannot answer before the log is closed; stop once the first rows'
    // mark is on disk (it is written on a worker after the post's answer, so progress alone can
    // come first)
    Path markFile = h.runDir.resolve("run-" + StreamHarness.RUN + ".wandb.sync.json");
    long deadline = System.nanoTime() + 30_000_000_000L;
    while (SyncMark.read(markFile).map(SyncMark::historyLines).orElse(0L) < 150
        && System.nanoTime() < deadline) {
      Thread.sleep(20);
    }
    h.undeploy();
    SyncMark mid = SyncMark.read(markFile).orElseThrow();
    assertEquals(150, mid.historyLines());
    assertFalse(mid.complete());
    h.rows(150, 150, 10);
    h.exit(0, SummaryRecord.getDefaultInstance());
    h.closeLog();
    long before = proxy.seen();

    h.deploy(h.setup(viaProxy(), h.alice.key(), true), StreamHarness.fast());
    h.target(0, 0, 0);
    FileStreamProgress done = h.finish(true, 0, 30);

    assertTrue(done.getComplete());
    FileStreamTest.assertRows(h.history(), 300, 10);
    // one data post and the final one: the first 150 rows were not sent again
    assertEquals(2, proxy.seen() - before);
  }

  @Test
  void aBacklogDrainsInFullSizeRequests() throws Exception {
    wholeLog(20_000);
    int max = 256 * 1024;
    h.deploy(h.setup(viaProxy(), h.alice.key(), true), StreamHarness.fast().withMaxRequestBytes(max));
    h.target();
    FileStreamProgress done = h.finish(true, 0, 120);

    assertTrue(done.getComplete());
    java.util.List<io.vertx.core.json.JsonObject> rows = h.history();
    FileStreamTest.assertRows(rows, 20_000, 10);
    long lineBytes = 0;
    for (io.vertx.core.json.JsonObject row : rows) {
      lineBytes += row.encode().length() + 8; // a line as sent: escaped quotes and a comma
    }
    long posts = proxy.seen() - 1; // the final post
    // none over the limit, and full: not many more than the lines need
    assertTrue(posts >= lineBytes / max, "posts: " + posts + " for " + lineBytes + " bytes");
    assertTrue(posts <= lineBytes / (max / 2) + 1, "posts: " + posts + " for " + lineBytes + " bytes");
    assertEquals(posts, done.getRequestsAcknowledged() - 1);
  }

  @Test
  void theTailOfAClosedLogGoesAtOnceWithoutWaitingForTheFinishOrTheInterval() throws Exception {
    h.openLog();
    h.rows(0, 50, 10);
    h.closeLog();
    // posts of what there is at most once an hour: only the log's end can send these rows now
    h.deploy(
        h.setup(viaProxy(), h.alice.key(), false),
        StreamHarness.fast().withTransmitInterval(Duration.ofHours(1)));
    h.target();
    h.flushed(true);
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
    while (h.history().size() < 50 && System.nanoTime() < deadline) {
      Thread.sleep(50);
    }
    FileStreamTest.assertRows(h.history(), 50, 10);
  }

  @Test
  void aTornTailOfAClosedLogIsTheEndOfWhatIsSent() throws Exception {
    h.openLog();
    h.rows(0, 120, 10);
    h.closeLog();
    long intact = h.logSize();
    // a row cut in half: a killed run's last append
    h.openLogAppend();
    try (FileChannel ch = FileChannel.open(h.logFile, StandardOpenOption.WRITE)) {
      ch.truncate(intact + 40);
    }
    h.deploy(h.setup(viaProxy(), h.alice.key(), true), StreamHarness.fast());
    h.target();
    FileStreamProgress done = h.finish(true, 1, 30);

    assertTrue(done.getComplete(), done.toString());
    FileStreamTest.assertRows(h.history(), 120, 10);
    assertEquals(intact, done.getLogBytesAcknowledged());
  }
}
