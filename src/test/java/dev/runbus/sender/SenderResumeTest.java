package dev.runbus.sender;

import static dev.runbus.sender.SenderHarness.eventually;
import static dev.runbus.sender.SenderHarness.run;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.runbus.proto.ResumeState;
import dev.runbus.server.store.RunUpsert;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** W&B's resume words against a real server's RunResumeStatus. */
class SenderResumeTest {

  @TempDir Path dir;
  SenderHarness h;

  @BeforeEach
  void start() throws Exception {
    h = new SenderHarness(dir);
  }

  @AfterEach
  void stop() {
    h.close();
  }

  /** A run on the server with 25 history lines, steps 0..24. */
  private void existingRun(String name) {
    h.store
        .runs()
        .upsert(
            h.alice.user(),
            new RunUpsert(
                "alice", SenderHarness.PROJECT, name, null, null, null, null, null, null, null,
                null, null, null, null, null, null, null));
    h.postHistory(name, 0, 25);
  }

  private ResumeState resume(String name, String word) throws Exception {
    OnlineSetup setup = h.setup(name, h.baseUrl(), h.alice.key(), word, Duration.ofSeconds(30), false);
    h.deploy(setup, SenderHarness.fast(h.notices));
    return h.resume();
  }

  @Test
  void allowContinuesAnExistingRunAfterItsLastStepAndLines() throws Exception {
    existingRun("resume01");
    ResumeState state = resume("resume01", "allow");
    assertTrue(state.getResumed(), state.toString());
    assertEquals("", state.getError());
    assertEquals(25, state.getStartingStep());
    assertEquals(25, state.getHistoryLineOffset());
    assertEquals(26, state.getRuntimeSeconds()); // the last line's _runtime, 25.5, rounded up
    // the FileStream continues at the server's line counts
    h.send(run("resume01"));
    assertTrue(eventually(() -> h.targets.size() == 1));
    assertEquals(25, h.targets.get(0).getHistoryLineOffset());
  }

  @Test
  void allowWithoutARunStartsANewOne() throws Exception {
    ResumeState state = resume("resume02", "allow");
    assertFalse(state.getResumed());
    assertEquals("", state.getError());
    h.send(run("resume02"));
    assertTrue(eventually(() -> h.targets.size() == 1));
    assertEquals(0, h.targets.get(0).getHistoryLineOffset());
  }

  @Test
  void mustWithoutARunIsAnErrorNamingIt() throws Exception {
    ResumeState state = resume("resume03", "must");
    assertFalse(state.getResumed());
    assertTrue(state.getError().contains("must"), state.getError());
    assertTrue(state.getError().contains("resume03"), state.getError());
    assertTrue(state.getError().contains("does not exist"), state.getError());
  }

  @Test
  void mustWithARunResumesIt() throws Exception {
    existingRun("resume04");
    ResumeState state = resume("resume04", "must");
    assertTrue(state.getResumed(), state.toString());
    assertEquals(25, state.getStartingStep());
  }

  @Test
  void neverWithARunIsAnErrorNamingIt() throws Exception {
    existingRun("resume05");
    ResumeState state = resume("resume05", "never");
    assertFalse(state.getResumed());
    assertTrue(state.getError().contains("never"), state.getError());
    assertTrue(state.getError().contains("already exists"), state.getError());
  }

  @Test
  void neverWithoutARunStartsIt() throws Exception {
    ResumeState state = resume("resume06", "never");
    assertFalse(state.getResumed());
    assertEquals("", state.getError());
  }
}
