package dev.runbus;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.runbus.kernel.Kernel;
import io.vertx.core.Vertx;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** An application that already runs Vert.x gets runbus's verticles in its own instance. */
class HostVertxTest {

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
  void runsDeployIntoTheHostInstance() throws Exception {
    int before = host.deploymentIDs().size();
    Run run = Runbus.init(host, RunLogs.quietOffline(dir).build());
    run.summary().asMap(); // answered by the run's Handler: its stream is open by now
    // kernel + the run's stream, handler, writer and sender
    assertEquals(before + 5, host.deploymentIDs().size(), host.deploymentIDs().toString());
    for (int i = 0; i < 10; i++) {
      run.log(Map.of("x", i));
    }
    RunResult result = run.finish();
    assertEquals(10, RunLogs.history(RunLogs.records(result.logFile())).size());
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (host.deploymentIDs().size() != before + 1 && System.nanoTime() < deadline) {
      Thread.sleep(10); // the stream is undeployed after finish() returns
    }
    assertEquals(
        before + 1, host.deploymentIDs().size(), "the stream is undeployed, the kernel stays");
    assertEquals(
        Kernel.deploy(host).result(), Kernel.deploy(host).result(), "one kernel per instance");
  }

  @Test
  void initRefusesToBlockAnEventLoop() throws Exception {
    Kernel.deploy(host).await(10, TimeUnit.SECONDS);
    Throwable failure =
        host.executeBlocking(() -> "warm")
            .compose(
                v -> {
                  io.vertx.core.Promise<Throwable> caught = io.vertx.core.Promise.promise();
                  host.runOnContext(
                      x -> {
                        try {
                          Runbus.init(host, RunLogs.quietOffline(dir).build());
                          caught.complete(null);
                        } catch (Throwable t) {
                          caught.complete(t);
                        }
                      });
                  return caught.future();
                })
            .await(10, TimeUnit.SECONDS);
    assertTrue(failure instanceof IllegalStateException, String.valueOf(failure));
    assertTrue(failure.getMessage().contains("event loop"), failure.getMessage());
  }

  @Test
  void disabledRunsNeedNoKernel() {
    Run run =
        Runbus.init(host, Settings.builder().mode(Mode.DISABLED).environment(Map.of()).build());
    run.log(Map.of("x", 1));
    assertEquals(0, run.finish().historyRows());
  }
}
