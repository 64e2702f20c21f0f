package dev.runbus.server.store;

import java.util.List;
import java.util.Optional;

/** Entities, projects and runs, as the viewer may see them (its own entity only). */
public interface Runs {

  /**
   * Creates or updates a run. A null entity means the viewer's own; another entity is refused
   * as not found. An empty project means {@code uncategorized}. A new run gets a display name.
   */
  Upserted upsert(User viewer, RunUpsert input);

  /**
   * As {@link #upsert(User, RunUpsert)}, with the {@code id} W&B's newer clients send back: the
   * storage id of an earlier answer ({@link RunInfo#storageId()}). It names the run when the
   * input leaves name, project or entity out; an id of no run of the viewer's is not found.
   */
  default Upserted upsert(User viewer, String storageId, RunUpsert input) {
    return upsert(viewer, input);
  }

  Optional<RunInfo> find(User viewer, RunKey key);

  /** Asks a run to stop: RunStoppedStatus and the FileStream's answer then say so. */
  void requestStop(User viewer, RunKey key);

  /**
   * Marks every running run whose last FileStream post (or, with none, its creation) is older
   * than {@code silentSinceMillis} as crashed, server-wide: W&B's clients post at least every 30
   * seconds while alive, so a run that fell silent lost its process. A later post revives it
   * (see {@link FileStreams#apply}). Returns how many runs were marked.
   */
  int markSilentRunsCrashed(long silentSinceMillis);

  /**
   * Records an alert of the viewer's run, unless one with the same title was recorded less than
   * {@code quietSeconds} ago (W&B's {@code wait_duration}; 0 for none). Returns whether it was
   * recorded. Titles of more than 1,024 characters, texts of more than 65,536 and severities other
   * than INFO, WARN and ERROR are refused as bad input.
   */
  boolean raiseAlert(User viewer, RunKey key, Alert alert, long quietSeconds);

  /** The run's alerts, oldest first, at most {@code limit}. */
  List<Alert> alerts(User viewer, RunKey key, int limit);

  /** The entities the viewer can see (today: its own). */
  List<String> entities(User viewer);

  List<ProjectInfo> projects(User viewer, String entity);

  /** One page of a project's runs. */
  RunPage list(User viewer, RunFilter filter);

  record Upserted(RunInfo run, boolean inserted) {}

  record ProjectInfo(String entity, String name, long runCount, long createdAtMillis) {}

  /**
   * {@code state}, {@code tag}, {@code group}: null for any. {@code sortBy}: a summary key, or one
   * of {@code created_at}, {@code name}, {@code state}; {@code descending} flips it. {@code cursor}
   * is the offset of the page's first run.
   */
  record RunFilter(
      String entity,
      String project,
      String state,
      String tag,
      String group,
      String sortBy,
      boolean descending,
      int limit,
      long cursor) {}

  record RunPage(List<RunInfo> runs, long total, Long nextCursor) {}
}
