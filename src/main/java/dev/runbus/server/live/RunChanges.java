package dev.runbus.server.live;

import dev.runbus.server.store.RunKey;

/**
 * Told when a stored run changed in a way a live view shows: new lines, a new state, a stop
 * request. Called on the thread of the store call, after its commit.
 */
@FunctionalInterface
public interface RunChanges {
  RunChanges NONE = (run, now, created, stateChanged) -> {};

  /**
   * {@code run} names the run (entity, project, run name); {@code now} is what it looks like after
   * the change; {@code created} when the change created it, {@code stateChanged} when its state is
   * new (or may be: an upsert that sets a state).
   */
  void changed(RunKey run, Snapshot now, boolean created, boolean stateChanged);

  /** What a live view needs of a run to know what to read again. */
  record Snapshot(
      String state,
      long historyLineCount,
      long logLineCount,
      long eventsLineCount,
      long updatedAtMillis,
      boolean stopRequested) {}
}
