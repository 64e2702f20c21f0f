package dev.runbus.server;

import dev.runbus.server.store.RunInfo;
import dev.runbus.server.store.Runs;
import java.util.ArrayList;
import java.util.List;
import io.vertx.core.Future;
import io.vertx.core.WorkerExecutor;
import java.time.Clock;
import java.time.Duration;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Marks runs crashed that stopped posting without a {@code complete}: their process died (a
 * SIGKILL, a lost machine), and without this they would read "running" forever. One sweep is one
 * UPDATE on the database workers; the server runs it periodically.
 */
final class SilentRunSweep {
  private static final Logger LOG = Logger.getLogger(SilentRunSweep.class.getName());

  private final Runs runs;
  private final WorkerExecutor db;
  private final Duration crashAfter;
  private final Clock clock;

  SilentRunSweep(Runs runs, WorkerExecutor db, Duration crashAfter, Clock clock) {
    this.runs = runs;
    this.db = db;
    this.crashAfter = crashAfter;
    this.clock = clock;
  }

  /** How often to sweep: often enough that a run is marked within a fifth of the allowance. */
  static Duration period(Duration crashAfter) {
    Duration fifth = crashAfter.dividedBy(5);
    Duration period = fifth.compareTo(Duration.ofMinutes(1)) > 0 ? Duration.ofMinutes(1) : fifth;
    return period.compareTo(Duration.ofMillis(100)) < 0 ? Duration.ofMillis(100) : period;
  }

  /** Marks the silent runs crashed (a page at a time) and returns them all. */
  Future<List<RunInfo>> sweep() {
    long silentSince = clock.millis() - crashAfter.toMillis();
    return db.executeBlocking(
            () -> {
              List<RunInfo> all = new ArrayList<>();
              List<RunInfo> page;
              do {
                page = runs.markSilentRunsCrashed(silentSince);
                all.addAll(page);
              } while (page.size() >= Runs.MAX_CRASHED_PER_CALL);
              return all;
            },
            false)
        .onFailure(e -> LOG.log(Level.WARNING, "marking silent runs crashed failed", e));
  }
}
