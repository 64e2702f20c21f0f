package dev.runbus.client;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicIntegerArray;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A pipeline's failure is said once, though the pump's failure callback and finish() may report
 * it at the same moment: of failures recorded at once from two threads, one is kept and printed.
 */
class PipelineFailureOnceTest {

  private static final int ROUNDS = 20_000;

  @Test
  @Timeout(value = 2, unit = TimeUnit.MINUTES)
  void failuresRecordedAtOnceFromTwoThreadsAreSaidOnce() throws Exception {
    PipelineFailure[] failures = new PipelineFailure[ROUNDS];
    AtomicLong[] lines = new AtomicLong[ROUNDS];
    for (int i = 0; i < ROUNDS; i++) {
      AtomicLong count = new AtomicLong();
      lines[i] = count;
      failures[i] =
          new PipelineFailure(
              "r1", new PrintStream(lineCounter(count), true, StandardCharsets.UTF_8));
    }
    // the two threads meet before each round by spinning, not parking, so that both call
    // record() within a few hundred nanoseconds of each other
    AtomicIntegerArray arrived = new AtomicIntegerArray(ROUNDS);
    Runnable sweep =
        () -> {
          RuntimeException e = new RuntimeException(Thread.currentThread().getName() + " failed");
          for (int i = 0; i < ROUNDS; i++) {
            arrived.incrementAndGet(i);
            while (arrived.get(i) < 2) {
              Thread.onSpinWait();
            }
            failures[i].record(e);
          }
        };
    Thread a = new Thread(sweep, "a");
    Thread b = new Thread(sweep, "b");
    a.start();
    b.start();
    a.join();
    b.join();
    int twice = 0;
    for (int i = 0; i < ROUNDS; i++) {
      if (lines[i].get() != 1) {
        twice++;
      }
    }
    assertEquals(0, twice, "rounds whose failure was not said exactly once");
  }

  private static OutputStream lineCounter(AtomicLong lines) {
    return new OutputStream() {
      @Override
      public void write(int b) {
        if (b == '\n') {
          lines.incrementAndGet();
        }
      }
    };
  }
}
