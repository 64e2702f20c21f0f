package dev.runbus.sender;

import static dev.runbus.sender.SenderHarness.eventually;
import static dev.runbus.sender.SenderHarness.exit;
import static dev.runbus.sender.SenderHarness.run;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.runbus.proto.FileStreamProgress;
import dev.runbus.proto.FinishResponse;
import dev.runbus.proto.SendProgress;
import dev.runbus.testing.FaultProxy;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The Sender's retries, refusals and finish bound, through a fault proxy to a real server. */
class SenderFaultsTest {

  @TempDir Path dir;
  SenderHarness h;
  FaultProxy proxy;

  @BeforeEach
  void start() throws Exception {
    h = new SenderHarness(dir);
    proxy = FaultProxy.start(h.vertx, h.server.port(), 300);
  }

  @AfterEach
  void stop() {
    proxy.close();
    h.close();
  }

  private String viaProxy() {
    return "http://127.0.0.1:" + proxy.port();
  }

  @Test
  void fiveHundredsAndTooManyRequestsAreRetriedAndSaidOnceWhileTheRunGoesOn() throws Exception {
    proxy.next(FaultProxy.Fault.SERVER_ERROR, 2).next(FaultProxy.Fault.TOO_MANY_REQUESTS, 1);
    OnlineSetup setup = h.setup("fault001", viaProxy(), h.alice.key(), "", Duration.ofSeconds(30), false);
    h.deploy(setup, SenderHarness.fast(h.notices));
    h.send(run("fault001", "lr", "0.01"));
    assertTrue(eventually(() -> h.readRun("fault001") != null), "the upsert was not retried to success");
    assertTrue(eventually(() -> h.targets.size() == 1));
    assertEquals(1, h.notices.size(), h.notices.toString());
    String notice = h.notices.get(0);
    assertTrue(notice.startsWith("runbus: cannot reach " + viaProxy()), notice);
    assertTrue(notice.contains("retrying; the run is being logged to " + setup.logFile()), notice);
    h.send(exit(0));
    assertTrue(h.finish().getSend().getComplete());
    assertEquals(1, h.notices.size(), h.notices.toString());
  }

  @Test
  void droppedConnectionsAreRetried() throws Exception {
    proxy.next(FaultProxy.Fault.DROP_REQUEST, 1).next(FaultProxy.Fault.DROP_RESPONSE, 1);
    OnlineSetup setup = h.setup("fault002", viaProxy(), h.alice.key(), "", Duration.ofSeconds(30), false);
    h.deploy(setup, SenderHarness.fast(h.notices));
    h.send(run("fault002", "lr", "0.01"));
    assertTrue(eventually(() -> h.targets.size() == 1), "the upsert was not retried to success");
    assertNotNull(h.readRun("fault002"));
  }

  @Test
  void aRefusedKeyIsSaidOnceStopsAllRequestsAndTheFinishIsIncomplete() throws Exception {
    OnlineSetup setup = h.setup("fault003", viaProxy(), "not-a-key-" + "x".repeat(30), "", Duration.ofSeconds(30), false);
    h.deploy(setup, SenderHarness.fast(h.notices));
    h.send(run("fault003", "lr", "0.01"));
    assertTrue(eventually(() -> !h.notices.isEmpty()), "the refusal was never said");
    long seen = proxy.seen();
    assertEquals(1, seen, "a refusal must not be retried");
    h.send(SenderHarness.config("more", "1"), exit(0));
    Files.writeString(setup.filesDir().resolve("output.log"), "hello\n");
    FinishResponse finished = h.finish();
    SendProgress send = finished.getSend();
    assertTrue(send.getIncomplete(), send.toString());
    assertTrue(send.getFailure().contains("401"), send.getFailure());
    assertFalse(send.getComplete());
    assertEquals(seen, proxy.seen(), "requests after the refusal");
    assertTrue(h.finishes.isEmpty(), "the FileStream was asked to finish after a refusal");
    assertEquals(1, h.notices.size(), h.notices.toString());
    String notice = h.notices.get(0);
    assertTrue(notice.contains("401"), notice);
    assertTrue(notice.contains(viaProxy()), notice);
    assertTrue(notice.contains("offline"), notice);
    assertTrue(notice.endsWith("java -jar runbus.jar sync --include-online " + setup.runDir()), notice);
  }

  @Test
  void theFileStreamGivingUpIsARefusal() throws Exception {
    h.finishAnswer =
        FileStreamProgress.newBuilder().setGaveUp(true).setFailure(viaProxy() + " answered HTTP 403").build();
    OnlineSetup setup = h.setup("fault004", viaProxy(), h.alice.key(), "", Duration.ofSeconds(30), false);
    h.deploy(setup, SenderHarness.fast(h.notices));
    h.send(run("fault004"), exit(1));
    assertTrue(eventually(() -> h.targets.size() == 1));
    // the FileStream says it gave up on each progress it sends from then on: one line all the same
    for (int i = 0; i < 2; i++) {
      h.vertx.eventBus().send(
          dev.runbus.bus.Addresses.sender("fault004"), h.finishAnswer, dev.runbus.bus.Bus.protobuf());
    }
    assertTrue(eventually(() -> !h.notices.isEmpty()));
    SendProgress send = h.finish().getSend();
    assertTrue(send.getIncomplete(), send.toString());
    assertTrue(send.getFailure().contains("403"), send.getFailure());
    assertEquals(1, h.notices.size(), h.notices.toString());
    assertTrue(h.notices.get(0).contains("runbus.jar sync"), h.notices.get(0));
  }

  @Test
  void theFinishTimeoutAnswersIncompleteWithWhatIsLeft() throws Exception {
    h.finishAnswer = null; // the FileStream never drains: a server too slow for the finish
    OnlineSetup setup = h.setup("fault005", viaProxy(), h.alice.key(), "", Duration.ofMillis(700), false);
    h.deploy(setup, SenderHarness.fast(h.notices));
    h.send(run("fault005"), exit(0));
    assertTrue(eventually(() -> h.targets.size() == 1));
    h.vertx.eventBus().send(
        dev.runbus.bus.Addresses.sender("fault005"),
        FileStreamProgress.newBuilder().setLogBytesFlushed(5000).setLogBytesAcknowledged(1200).build(),
        dev.runbus.bus.Bus.protobuf());
    FinishResponse finished = h.finish();
    SendProgress send = finished.getSend();
    assertTrue(send.getIncomplete(), send.toString());
    assertFalse(send.getComplete(), send.toString());
    assertEquals(5000, send.getLogBytesFlushed());
    assertEquals(1200, send.getLogBytesAcknowledged());
    assertTrue(send.getFailure().contains("within"), send.getFailure());
  }

  @Test
  void aServerThatNeverAnswersLeavesTheFinishIncompleteWithTheFilesLeft() throws Exception {
    OnlineSetup setup = h.setup("fault006", "http://127.0.0.1:1", h.alice.key(), "", Duration.ofMillis(700), false);
    h.deploy(setup, SenderHarness.fast(h.notices));
    h.send(run("fault006"), exit(0));
    SendProgress send = h.finish().getSend();
    assertTrue(send.getIncomplete(), send.toString());
    assertEquals(1, h.notices.size(), h.notices.toString());
    assertTrue(h.notices.get(0).startsWith("runbus: cannot reach http://127.0.0.1:1"), h.notices.get(0));
  }
}
