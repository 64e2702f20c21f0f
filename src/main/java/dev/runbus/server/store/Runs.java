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
   * (see {@link FileStreams#apply}). Marks at most {@link #MAX_CRASHED_PER_CALL} runs a call (a
   * caller that gets that many calls again) and returns them as they are after the marking.
   */
  List<RunInfo> markSilentRunsCrashed(long silentSinceMillis);

  /** Runs marked crashed by one call of {@link #markSilentRunsCrashed} at most. */
  int MAX_CRASHED_PER_CALL = 1000;

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

  /**
   * The top-level config and summary keys of the project's most recently created runs, for a
   * column picker: at most {@link ProjectKeys#MAX_RUNS} runs read, at most {@link
   * ProjectKeys#MAX_KEYS} keys of each kind, sorted. W&B's internal config key {@code _wandb} and
   * summary keys starting with {@code _} (other than {@code _runtime} and {@code _step}) are left
   * out.
   */
  ProjectKeys keys(User viewer, String entity, String project);

  record Upserted(RunInfo run, boolean inserted) {}

  record ProjectInfo(String entity, String name, long runCount, long createdAtMillis) {}

  /**
   * {@code state}, {@code tag}, {@code group}: null for any. {@code sortBy}: a summary key, or one
   * of {@code created_at}, {@code name}, {@code state}; with {@code sortByConfig}, a config key
   * (its {@code value}); {@code descending} flips it. {@code cursor} is the offset of the page's
   * first run. {@code search}: null for any, else runs whose name or display name contains it,
   * ignoring case.
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
      long cursor,
      String search,
      boolean sortByConfig) {

    public RunFilter(
        String entity,
        String project,
        String state,
        String tag,
        String group,
        String sortBy,
        boolean descending,
        int limit,
        long cursor) {
      this(entity, project, state, tag, group, sortBy, descending, limit, cursor, null, false);
    }
  }

  /** Config and summary keys of a project's recent runs, each list sorted. */
  record ProjectKeys(List<String> config, List<String> summary) {
    public static final int MAX_RUNS = 500;
    public static final int MAX_KEYS = 500;
  }

  record RunPage(List<RunInfo> runs, long total, Long nextCursor) {}
}
