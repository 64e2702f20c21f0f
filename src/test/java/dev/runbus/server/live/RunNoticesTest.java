package dev.runbus.server.live;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The coalescing rule, on a fake clock: time moves only when the test says so. */
class RunNoticesTest {
  /** Timers on a fake clock. */
  static final class FakeTimers implements RunNotices.Scheduler {
    long now;
    private final List<long[]> due = new ArrayList<>();
    private final List<Runnable> tasks = new ArrayList<>();

    @Override
    public void schedule(long delayMillis, Runnable task) {
      due.add(new long[] {now + delayMillis});
      tasks.add(task);
    }

    /** Moves the clock, running every timer that falls due on the way, in order. */
    void advance(long millis) {
      long end = now + millis;
      while (true) {
        int next = -1;
        for (int i = 0; i < due.size(); i++) {
          if (due.get(i)[0] <= end && (next < 0 || due.get(i)[0] < due.get(next)[0])) {
            next = i;
          }
        }
        if (next < 0) {
          break;
        }
        now = due.remove(next)[0];
        tasks.remove(next).run();
      }
      now = end;
    }
  }

  private final FakeTimers timers = new FakeTimers();
  private final List<String> sent = new ArrayList<>();
  private final RunNotices notices =
      new RunNotices(timers, (address, body) -> sent.add(timers.now + " " + address + " " + body.getInteger("n")));

  private static JsonObject n(int n) {
    return new JsonObject().put("n", n);
  }

  @Test
  void theFirstGoesAtOnceAndTheLatestOfAWindowAtItsEnd() {
    notices.offer("a", n(1));
    assertEquals(List.of("0 a 1"), sent);
    timers.advance(100);
    notices.offer("a", n(2));
    notices.offer("a", n(3));
    assertEquals(List.of("0 a 1"), sent, "nothing more inside the window");
    timers.advance(150);
    assertEquals(List.of("0 a 1", "250 a 3"), sent, "the latest wins, at the window's end");
    timers.advance(1000);
    assertEquals(2, sent.size(), "nothing waits, nothing goes out");
    assertEquals(0, notices.activeAddresses(), "an idle address is forgotten");
  }

  @Test
  void noMoreThanOneNoticePerWindowUnderAStreamOfChanges() {
    for (int i = 0; i < 100; i++) {
      notices.offer("a", n(i));
      timers.advance(10);
    }
    timers.advance(1000);
    // 1,000 ms of changes: one at 0, then one per 250 ms window, the last one (99) delivered
    assertEquals(List.of("0 a 0", "250 a 24", "500 a 49", "750 a 74", "1000 a 99"), sent);
  }

  @Test
  void theFinalStateAlwaysGoesOut() {
    notices.offer("run", n(1));
    notices.offer("run", n(2)); // the run finished just after its last post
    timers.advance(RunNotices.WINDOW_MILLIS);
    assertEquals(List.of("0 run 1", "250 run 2"), sent);
  }

  @Test
  void addressesAreIndependent() {
    notices.offer("a", n(1));
    notices.offer("b", n(1));
    notices.offer("a", n(2));
    assertEquals(List.of("0 a 1", "0 b 1"), sent);
    timers.advance(250);
    assertEquals(List.of("0 a 1", "0 b 1", "250 a 2"), sent);
    timers.advance(250);
    assertEquals(0, notices.activeAddresses());
  }
}
