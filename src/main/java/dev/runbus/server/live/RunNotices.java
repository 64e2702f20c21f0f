package dev.runbus.server.live;

import io.vertx.core.json.JsonObject;
import java.util.HashMap;
import java.util.Map;
import java.util.function.BiConsumer;

/**
 * Coalesces notices per address: at most one goes out per address per window ({@link
 * #WINDOW_MILLIS}), the first at once, and what arrives during a window replaces what waits
 * (the latest state wins) and goes out when the window ends. Nothing offered is lost for good: the last notice of an
 * address (a run's final state) always goes out, at most one window late. An address is
 * forgotten once a window passes with nothing new, so memory follows the addresses active in the
 * last window, not all there ever were. Thread-safe: the store calls that change runs run on
 * several worker threads.
 */
public final class RunNotices {
  /** The window: a browser redraws a chart at most four times a second for one run. */
  public static final long WINDOW_MILLIS = 250;

  /** Runs a task after a delay (Vert.x's timers in the server, a fake clock in tests). */
  @FunctionalInterface
  public interface Scheduler {
    void schedule(long delayMillis, Runnable task);
  }

  private final Scheduler scheduler;
  private final BiConsumer<String, JsonObject> publish;
  /** Addresses inside a window; the value is what waits for the window's end, or null. */
  private final Map<String, JsonObject> windows = new HashMap<>();

  public RunNotices(Scheduler scheduler, BiConsumer<String, JsonObject> publish) {
    this.scheduler = scheduler;
    this.publish = publish;
  }

  public void offer(String address, JsonObject body) {
    synchronized (this) {
      if (windows.containsKey(address)) {
        windows.put(address, body);
        return;
      }
      windows.put(address, null);
    }
    publish.accept(address, body);
    scheduler.schedule(WINDOW_MILLIS, () -> windowEnded(address));
  }

  private void windowEnded(String address) {
    JsonObject waiting;
    synchronized (this) {
      waiting = windows.get(address);
      if (waiting == null) {
        windows.remove(address);
        return;
      }
      // the waiting notice goes out now and opens the next window
      windows.put(address, null);
    }
    publish.accept(address, waiting);
    scheduler.schedule(WINDOW_MILLIS, () -> windowEnded(address));
  }

  /** Addresses inside a window now (for tests of the memory bound). */
  synchronized int activeAddresses() {
    return windows.size();
  }
}
