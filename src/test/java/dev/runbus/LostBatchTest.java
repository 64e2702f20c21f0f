package dev.runbus;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.runbus.bus.Addresses;
import dev.runbus.proto.RecordBatch;
import io.vertx.core.Vertx;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * A batch of records that the pipeline swallowed without an answer (an Error on its thread: the
 * message is gone and nobody replies) makes finish() fail saying so, instead of reporting a
 * complete run whose log misses those records.
 */
@Timeout(60)
class LostBatchTest {

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
  void finishFailsWhenABatchWasNeverAnswered() throws Exception {
    Run run = Runbus.init(host, RunLogs.quietOffline(dir).build());
    String writer = Addresses.writer(run.id());
    AtomicBoolean swallowed = new AtomicBoolean();
    // the Writer's thread dies on the batch holding "boom": the message never reaches an answer
    host.eventBus()
        .addInboundInterceptor(
            context -> {
              if (context.message().address().equals(writer)
                  && context.body() instanceof RecordBatch batch
                  && batch.toString().contains("boom")
                  && swallowed.compareAndSet(false, true)) {
                throw new StackOverflowError("injected on the Writer's thread");
              }
              context.next();
            });
    for (int i = 0; i < 10; i++) {
      run.log(Map.of("ok", i));
    }
    run.summary().get("ok"); // the rows above are through
    run.log(Map.of("boom", 1));
    run.log(Map.of("after", 2));

    RunbusException failed = assertThrows(RunbusException.class, run::finish);
    assertTrue(swallowed.get(), "the batch was swallowed");
    assertTrue(
        failed.getMessage().contains("never answered 1 batch of records"), failed.getMessage());
    assertTrue(failed.getMessage().contains(run.logFile().toString()), failed.getMessage());
  }
}
