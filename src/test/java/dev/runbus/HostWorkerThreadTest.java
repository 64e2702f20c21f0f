package dev.runbus;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.runbus.kernel.Kernel;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.ThreadingModel;
import io.vertx.core.VerticleBase;
import io.vertx.core.Vertx;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * runbus's own error on an event loop says to call init and finish from a worker thread: both of
 * Vert.x's ways of doing that work, the first run of the instance included (it deploys the kernel).
 */
class HostWorkerThreadTest {

  private static final int ROWS = 20;

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
  void aRunInExecuteBlockingStartsLogsAndFinishes() throws Exception {
    RunResult result =
        host.executeBlocking(() -> trackedRun(host, dir)).await(60, TimeUnit.SECONDS);
    assertComplete(result);
  }

  @Test
  void aRunInAWorkerVerticleStartsLogsAndFinishes() throws Exception {
    TrackingVerticle worker = new TrackingVerticle(dir);
    String id =
        host.deployVerticle(
                worker, new DeploymentOptions().setThreadingModel(ThreadingModel.WORKER))
            .await(60, TimeUnit.SECONDS);
    assertComplete(worker.result);

    // the kernel it deployed is the instance's, not a child undeployed with the worker verticle
    String kernel = Kernel.deploy(host).await(10, TimeUnit.SECONDS);
    host.undeploy(id).await(10, TimeUnit.SECONDS);
    assertTrue(host.deploymentIDs().contains(kernel), host.deploymentIDs().toString());
    assertComplete(host.executeBlocking(() -> trackedRun(host, dir)).await(60, TimeUnit.SECONDS));
  }

  /** Starts, logs and finishes a run in its start(), on a worker thread with a worker context. */
  static final class TrackingVerticle extends VerticleBase {
    private final Path dir;
    volatile RunResult result;

    TrackingVerticle(Path dir) {
      this.dir = dir;
    }

    @Override
    public Future<?> start() {
      result = trackedRun(vertx, dir);
      return Future.succeededFuture();
    }
  }

  static RunResult trackedRun(Vertx vertx, Path dir) {
    Run run = Runbus.init(vertx, RunLogs.quietOffline(dir).build());
    for (int i = 0; i < ROWS; i++) {
      run.log(Map.of("x", i));
    }
    run.summary().set("best", 1);
    return run.finish();
  }

  private static void assertComplete(RunResult result) throws Exception {
    assertEquals(ROWS, RunLogs.history(RunLogs.records(result.logFile())).size());
    assertEquals(1L, result.summary().get("best"));
  }
}
