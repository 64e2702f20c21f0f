package dev.runbus;

import dev.runbus.client.PipelineRun;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.runbus.bus.Addresses;
import dev.runbus.kernel.Kernel;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.DeliveryContext;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The kernel owns the run directory: init names it and checks it can be made, the Writer makes it,
 * and what the kernel opened is what the run reports.
 */
class RunDirectoryOwnershipTest {

  @TempDir Path dir;
  Vertx host;

  @BeforeEach
  void startHost() throws Exception {
    host = Vertx.vertx();
    Kernel.deploy(host).await(10, TimeUnit.SECONDS);
  }

  @AfterEach
  void stopHost() throws Exception {
    host.close().await(10, TimeUnit.SECONDS);
  }

  @Test
  void initCreatesNothingAndTheKernelCreatesTheDirectoryInitNamed() throws Exception {
    List<DeliveryContext<Object>> held = holdFirstOpenStream();
    Run run = Runbus.init(host, RunLogs.quietOffline(dir).build());
    assertEquals(List.of(), entries(dir), "init left nothing behind, not even its probe");
    assertFalse(Files.exists(((PipelineRun) run).dirPath())); // run.dir() would wait for it

    release(held);
    run.log(Map.of("x", 1));
    run.summary().asMap(); // answered behind the stream's opening
    assertTrue(Files.isRegularFile(run.logFile()), run.logFile().toString());
    assertTrue(Files.isDirectory(run.dir().resolve("files")));
    assertEquals(run.dir().getFileName(), Files.readSymbolicLink(dir.resolve("wandb/latest-run")));

    RunResult result = run.finish();
    assertEquals(run.dir(), result.dir());
    assertEquals(run.logFile(), result.logFile());
    assertEquals(1, RunLogs.history(RunLogs.records(result.logFile())).size());
  }

  @Test
  void aKernelThatOpensAnotherLogThanInitNamedFailsTheRunSayingBoth() throws Exception {
    List<DeliveryContext<Object>> held = holdFirstOpenStream();
    Run run = Runbus.init(host, RunLogs.quietOffline(dir).build());
    // W&B's rule: a .wandb directory, once there, is used instead of wandb; the kernel now sees one
    Files.createDirectories(dir.resolve(".wandb"));
    release(held);

    RunbusException e = assertThrows(RunbusException.class, run::finish);
    Path opened =
        dir.resolve(".wandb").resolve(run.dir().getFileName()).resolve(run.logFile().getFileName());
    assertTrue(
        e.getMessage().contains("the kernel opened the run's log as " + opened), e.getMessage());
    assertTrue(e.getMessage().contains("not as " + run.logFile()), e.getMessage());
    assertFalse(e.getMessage().contains("what was written"), "it wrote nothing: " + e.getMessage());
    // the stream the run will not use is closed: only the kernel is left
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (host.deploymentIDs().size() > 1 && System.nanoTime() < deadline) {
      Thread.sleep(10);
    }
    assertEquals(1, host.deploymentIDs().size(), host.deploymentIDs().toString());
  }

  @Test
  void aStreamTheKernelCouldNotOpenIsNotSaidToHoldWhatWasWritten() throws Exception {
    List<DeliveryContext<Object>> held = holdFirstOpenStream();
    Run run = Runbus.init(host, RunLogs.quietOffline(dir).build());
    // someone else's log appears where the Writer is about to create the run's
    Files.createDirectories(((PipelineRun) run).dirPath()); // run.dir() would wait for the kernel
    Files.writeString(((PipelineRun) run).logPath(), "someone else's");
    release(held);

    RunbusException e = assertThrows(RunbusException.class, run::finish);
    assertTrue(e.getMessage().contains("could not open the run"), e.getMessage());
    assertFalse(e.getMessage().contains("what was written"), "it wrote nothing: " + e.getMessage());
    assertEquals("someone else's", Files.readString(run.logFile()));
  }

  private static List<Path> entries(Path directory) throws Exception {
    try (Stream<Path> list = Files.list(directory)) {
      return list.toList();
    }
  }

  /** Lets the held open_stream go on, once the interceptor has it (it runs on the event loop). */
  private static void release(List<DeliveryContext<Object>> held) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (held.isEmpty() && System.nanoTime() < deadline) {
      Thread.sleep(5);
    }
    held.get(0).next();
  }

  /** Holds the next message to the kernel (a run's open_stream) until {@code next()} is called. */
  private List<DeliveryContext<Object>> holdFirstOpenStream() {
    List<DeliveryContext<Object>> held = new CopyOnWriteArrayList<>();
    host.eventBus()
        .addInboundInterceptor(
            context -> {
              if (context.message().address().equals(Addresses.KERNEL_RUNS) && held.isEmpty()) {
                held.add(context);
                return;
              }
              context.next();
            });
    return held;
  }
}
