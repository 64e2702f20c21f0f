package dev.runbus;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.runbus.bus.Addresses;
import dev.runbus.proto.Record;
import dev.runbus.proto.RecordBatch;
import io.vertx.core.Vertx;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A batch the pipeline could not take lost records: the run fails from then on, so the caller
 * hears it from the next log() instead of logging on into a run that is already incomplete.
 */
class PipelineFailureTest {

  @TempDir Path dir;
  Vertx host;

  @BeforeEach
  void startHost() {
    host = Vertx.vertx();
  }

  @AfterEach
  void stopHost() throws Exception {
    host.close().await(10, TimeUnit.SECONDS);
  }

  @Test
  void aBatchTheWriterRefusedMakesLogAndFinishThrowWhy() throws Exception {
    Run run = Runbus.init(host, RunLogs.quietOffline(dir).build());
    String writer = Addresses.writer(run.id());
    AtomicBoolean refused = new AtomicBoolean();
    // the Writer's answer to the first batch holding a row from the loop below, as a broken disk
    // would make it
    host.eventBus()
        .addInboundInterceptor(
            context -> {
              if (context.message().address().equals(writer)
                  && context.body() instanceof RecordBatch batch
                  && batch.getRecordList().stream().anyMatch(PipelineFailureTest::isLoopRow)
                  && refused.compareAndSet(false, true)) {
                context.message().fail(500, "injected: the disk is on fire");
                return;
              }
              context.next();
            });
    for (int i = 0; i < 10; i++) {
      run.log(Map.of("before", i));
    }
    run.summary().asMap(); // those ten reached the Writer

    RunbusException logged = null;
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    for (long i = 0; logged == null && System.nanoTime() < deadline; i++) {
      try {
        run.log(Map.of("loop", i));
      } catch (RunbusException e) {
        logged = e;
      }
    }
    assertNotNull(logged, "log() went on accepting rows for a run that had lost some");
    assertTrue(refused.get());
    assertTrue(logged.getMessage().contains("the disk is on fire"), logged.getMessage());

    RunbusException finish = assertThrows(RunbusException.class, run::finish);
    assertTrue(finish.getMessage().contains("the disk is on fire"), finish.getMessage());
    assertTrue(finish.getMessage().contains(run.logFile().toString()), finish.getMessage());
    // the stream was closed, so what the Writer took is in the log, which reads back whole
    List<Map<String, String>> history = RunLogs.history(RunLogs.records(run.logFile()));
    assertEquals(10, history.stream().filter(row -> row.containsKey("before")).count());
  }

  /** A row of the loop, alone or in a block of rows. */
  private static boolean isLoopRow(Record record) {
    return (record.hasHistory()
            && record.getHistory().getItemList().stream()
                .anyMatch(item -> item.getKey().equals("loop")))
        || record.getRequest().getWriteRows().getRows().getKeyList().contains("loop");
  }
}
