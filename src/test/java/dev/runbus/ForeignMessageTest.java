package dev.runbus;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.runbus.bus.Addresses;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.eventbus.ReplyFailure;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * A message a run's stage cannot even read (not a protobuf message: another sender on a shared
 * bus) is answered with a failure that says what went wrong. Before, the exception escaped the
 * consumer and the sender waited out its timeout with no answer; an Error there lost records.
 */
@Timeout(60)
class ForeignMessageTest {

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
  void everyStageAnswersAMessageItCannotRead() throws Exception {
    Run run = Runbus.init(host, RunLogs.quietOffline(dir).build());
    run.log(Map.of("x", 1.0));
    run.summary().get("x"); // answered once the stream is open
    DeliveryOptions options = new DeliveryOptions().setSendTimeout(TimeUnit.SECONDS.toMillis(40));
    Map<String, String> stages =
        Map.of(
            Addresses.handler(run.id()), "handler",
            Addresses.writer(run.id()), "writer",
            Addresses.sender(run.id()), "sender",
            Addresses.KERNEL_RUNS, "kernel");
    for (Map.Entry<String, String> stage : stages.entrySet()) {
      String address = stage.getKey();
      Throwable failure =
          host.eventBus()
              .request(address, "not a record", options)
              .map(reply -> (Throwable) null)
              .otherwise(e -> e)
              .await(50, TimeUnit.SECONDS);
      ReplyException reply = assertInstanceOf(ReplyException.class, failure, address);
      assertEquals(ReplyFailure.RECIPIENT_FAILURE, reply.failureType(), address);
      assertTrue(reply.getMessage().startsWith(stage.getValue() + ": "), reply.getMessage());
    }
    run.finish();
  }
}
