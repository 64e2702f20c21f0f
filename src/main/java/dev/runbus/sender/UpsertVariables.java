package dev.runbus.sender;

import dev.runbus.proto.RunRecord;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

/**
 * UpsertBucket's variables (§5.3): all of them, as W&B sends them, null meaning "leave unchanged".
 * The first upsert carries the run record; later ones only what changed (the config), or the state.
 */
final class UpsertVariables {

  private UpsertVariables() {}

  static JsonObject allNull() {
    JsonObject v = new JsonObject();
    for (String name : Documents.UPSERT_VARIABLES) {
      v.putNull(name);
    }
    return v;
  }

  /** The run's start: everything the run record says. */
  static JsonObject start(RunRecord run, String runName, String entity, String project, String config) {
    JsonObject v = allNull();
    v.put("name", runName);
    v.put("project", orNull(project));
    v.put("entity", orNull(entity));
    v.put("groupName", orNull(run.getRunGroup()));
    v.put("displayName", orNull(run.getDisplayName()));
    v.put("notes", orNull(run.getNotes()));
    v.put("config", config);
    v.put("host", orNull(run.getHost()));
    v.put("jobType", orNull(run.getJobType()));
    v.put("sweep", orNull(run.getSweepId()));
    if (run.hasGit()) {
      v.put("repo", orNull(run.getGit().getRemoteUrl()));
      v.put("commit", orNull(run.getGit().getCommit()));
    }
    if (run.getTagsCount() > 0) {
      v.put("tags", new JsonArray(run.getTagsList()));
    }
    return v;
  }

  /** A later upsert of the run the server named: the config only. */
  static JsonObject config(UpsertedRun run, String config) {
    return named(run).put("config", config);
  }

  /** A later upsert of the run's state ({@code crashed} for a killed run's sync). */
  static JsonObject state(UpsertedRun run, String state) {
    return named(run).put("state", state);
  }

  private static JsonObject named(UpsertedRun run) {
    JsonObject v = allNull();
    v.put("name", run.name());
    v.put("project", run.project());
    v.put("entity", run.entity());
    return v;
  }

  private static String orNull(String value) {
    return value == null || value.isEmpty() ? null : value;
  }
}
