package dev.runbus;

import dev.runbus.client.PipelineRun;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.runbus.bus.Addresses;
import dev.runbus.bus.Bus;
import dev.runbus.bus.Failures;
import dev.runbus.kernel.Kernel;
import dev.runbus.kernel.KernelVerticle;
import dev.runbus.proto.Record;
import dev.runbus.proto.RecordBatch;
import dev.runbus.proto.Request;
import dev.runbus.proto.WriteRows;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.Vertx;
import java.lang.ref.WeakReference;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
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
    String kernel = Kernel.deploy(host).await(10, TimeUnit.SECONDS);
    assertTrue(kernel != null && host.deploymentIDs().contains(kernel), kernel);
    assertEquals(kernel, Kernel.deploy(host).await(10, TimeUnit.SECONDS), "one kernel per instance");
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

  @Test
  void recordsTheWriterCouldNotTakeMakeFinishFailNamingWhy() throws Exception {
    Run run = Runbus.init(host, RunLogs.quietOffline(dir).build());
    String writer = Addresses.writer(run.id());
    AtomicBoolean refused = new AtomicBoolean();
    // the Writer's answer to the batch holding the config record, as a full disk would make it
    host.eventBus()
        .addInboundInterceptor(
            context -> {
              if (context.message().address().equals(writer)
                  && context.body() instanceof RecordBatch batch
                  && batch.getRecordList().stream().anyMatch(Record::hasConfig)
                  && refused.compareAndSet(false, true)) {
                context.message().fail(500, "injected: no space left on device");
                return;
              }
              context.next();
            });
    run.log(Map.of("x", 1));
    run.config().set("lr", 0.1);
    run.log(Map.of("x", 2));

    RunbusException e = assertThrows(RunbusException.class, run::finish);
    assertTrue(refused.get());
    assertTrue(e.getMessage().contains("no space left on device"), e.getMessage());
    assertTrue(e.getMessage().contains(run.dir().toString()), e.getMessage());
    assertTrue(run.isFinished());
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (host.deploymentIDs().size() > 1 && System.nanoTime() < deadline) {
      Thread.sleep(10); // the stream is undeployed all the same; let it go before the host closes
    }
    assertEquals(1, host.deploymentIDs().size(), "only the kernel is left");
  }

  @Test
  void aRequestTheHandlerHasNoAnswerForIsRefusedAtOnce() throws Exception {
    Run run = Runbus.init(host, RunLogs.quietOffline(dir).build());
    run.summary().asMap(); // the stream is open
    Record alone =
        Record.newBuilder()
            .setRequest(Request.newBuilder().setWriteRows(WriteRows.getDefaultInstance()))
            .build();
    ExecutionException e =
        assertThrows(
            ExecutionException.class,
            () ->
                host.eventBus()
                    .request(Addresses.handler(run.id()), alone, Bus.protobuf())
                    .toCompletionStage()
                    .toCompletableFuture()
                    .get(10, TimeUnit.SECONDS));
    ReplyException reply = (ReplyException) e.getCause();
    assertEquals(Failures.BAD_RECORD, reply.failureCode(), reply.getMessage());
    assertTrue(reply.getMessage().contains("WRITE_ROWS"), reply.getMessage());
    run.finish();
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (host.deploymentIDs().size() > 1 && System.nanoTime() < deadline) {
      Thread.sleep(10);
    }
  }

  @Test
  void theKernelRegistryLetsAClosedInstanceGo() throws Exception {
    Vertx other = Vertx.vertx();
    Kernel.deploy(other).await(10, TimeUnit.SECONDS);
    other.close().await(10, TimeUnit.SECONDS);
    WeakReference<Vertx> gone = new WeakReference<>(other);
    other = null;
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
    while (gone.get() != null && System.nanoTime() < deadline) {
      System.gc();
      Thread.sleep(20);
    }
    assertNull(gone.get(), "a closed Vert.x instance is not kept alive by runbus");
  }

  @Test
  void aKernelDeployedByOtherMeansIsFoundAndAnUndeployedOneReplaced() throws Exception {
    String launched = host.deployVerticle(KernelVerticle.embedded()).await(10, TimeUnit.SECONDS);
    assertEquals(launched, Kernel.deploy(host).await(10, TimeUnit.SECONDS));
    host.undeploy(launched).await(10, TimeUnit.SECONDS);
    String again = Kernel.deploy(host).await(10, TimeUnit.SECONDS);
    assertNotEquals(launched, again);
    assertTrue(host.deploymentIDs().contains(again));
  }

  @Test
  void aRunWhoseVertxIsClosedUnderItFailsAtOnceSayingSo() throws Exception {
    Run run = Runbus.init(host, RunLogs.quietOffline(dir).build());
    for (int i = 0; i < 50; i++) {
      run.log(Map.of("x", i));
    }
    run.summary().asMap(); // all of it reached the pipeline
    host.close().await(10, TimeUnit.SECONDS);

    // not after its 120 s timeout: the first send that cannot start fails everything waiting
    RunbusException finish = assertThrows(RunbusException.class, run::finish);
    assertTrue(finish.getMessage().contains("closed"), finish.getMessage());
  }

  @Test
  void onceItsVertxIsClosedARunRefusesNewCallsSayingWhy() throws Exception {
    Run run = Runbus.init(host, RunLogs.quietOffline(dir).build());
    run.summary().asMap(); // the stream is open
    host.close().await(10, TimeUnit.SECONDS);
    RunbusException refused = null;
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
    // calls already queued when the pump finds the instance gone fail with it; later ones at once
    while (refused == null && System.nanoTime() < deadline) {
      try {
        run.log(Map.of("x", 1));
        Thread.sleep(5);
      } catch (RunbusException e) {
        refused = e;
      }
    }
    assertTrue(refused != null, "log() kept accepting rows that could never be written");
    assertTrue(refused.getMessage().contains("closed"), refused.getMessage());
    assertThrows(RunbusException.class, () -> run.summary().set("x", 1));
  }

  @Test
  void aCallInterruptedWhileTheQueueIsFullIsNotLoggedAndKeepsItsInterrupt() throws Exception {
    Kernel.deploy(host).await(10, TimeUnit.SECONDS);
    // the run's stream does not open until released, so its queue fills and log() must wait
    java.util.List<io.vertx.core.eventbus.DeliveryContext<Object>> held = holdFirstOpenStream();
    Run run = Runbus.init(host, RunLogs.quietOffline(dir).queueCapacity(5).build());
    AtomicLong returned = new AtomicLong();
    java.util.concurrent.atomic.AtomicReference<Throwable> thrown =
        new java.util.concurrent.atomic.AtomicReference<>();
    AtomicBoolean stillInterrupted = new AtomicBoolean();
    Thread logger =
        new Thread(
            () -> {
              try {
                for (int i = 0; i < 10; i++) {
                  run.log(Map.of("note", "row " + i)); // a string: one queue slot per row
                  returned.incrementAndGet();
                }
              } catch (RuntimeException e) {
                thrown.set(e);
                stillInterrupted.set(Thread.currentThread().isInterrupted());
              }
            });
    logger.start();
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
    while (logger.getState() != Thread.State.WAITING && System.nanoTime() < deadline) {
      Thread.sleep(5);
    }
    logger.interrupt();
    logger.join(TimeUnit.SECONDS.toMillis(20));

    assertTrue(thrown.get() instanceof IllegalStateException, String.valueOf(thrown.get()));
    assertTrue(thrown.get().getMessage().contains("this call was not logged"), thrown.get().getMessage());
    assertTrue(stillInterrupted.get(), "the interrupt is left for the caller to see");
    release(held); // now let the stream open
    RunResult result = run.finish();
    assertEquals(returned.get(), result.historyRows());
    assertTrue(returned.get() > 0 && returned.get() < 10, returned.toString());
  }

  @Test
  void aLogTheKernelCannotCreateFailsFinishAtOnceAndAgainTheSameWay() throws Exception {
    Kernel.deploy(host).await(10, TimeUnit.SECONDS);
    java.util.List<io.vertx.core.eventbus.DeliveryContext<Object>> held = holdFirstOpenStream();
    Run run = Runbus.init(host, RunLogs.quietOffline(dir).build());
    // someone else's file appears where the kernel is about to create the run's log
    Files.createDirectories(((PipelineRun) run).dirPath()); // run.dir() would wait for the kernel
    Files.writeString(((PipelineRun) run).logPath(), "someone else's");
    release(held);

    RunbusException e = assertThrows(RunbusException.class, run::finish);
    assertTrue(e.getMessage().contains("could not open the run"), e.getMessage());
    assertTrue(e.getMessage().contains("already has a log"), e.getMessage());
    RunbusException again = assertThrows(RunbusException.class, run::finish);
    assertSame(e, again.getCause(), "a second finish() repeats the first failure, waits for nothing");
  }

  /** Lets the held open_stream through, once it was sent (init sends it from another thread). */
  private static void release(java.util.List<io.vertx.core.eventbus.DeliveryContext<Object>> held)
      throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
    while (held.isEmpty() && System.nanoTime() < deadline) {
      Thread.sleep(5);
    }
    held.get(0).next();
  }

  /**
   * Holds the first message to the kernel (the next run's open_stream) until the test calls
   * {@code next()} on it, so the run's stream is not open until then.
   */
  private java.util.List<io.vertx.core.eventbus.DeliveryContext<Object>> holdFirstOpenStream() {
    java.util.List<io.vertx.core.eventbus.DeliveryContext<Object>> held =
        new java.util.concurrent.CopyOnWriteArrayList<>();
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
