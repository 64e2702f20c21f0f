package dev.runbus.server.live;

import dev.runbus.server.store.RunKey;
import io.vertx.core.json.JsonObject;
import java.time.Instant;

/**
 * Turns run changes into the UI's notices (docs/server.md, "Live updates and the UI's API"): a
 * run's state and line counts to {@code rb.ui.run.<entity>/<project>/<run>}, and a run's creation
 * or new state to {@code rb.ui.project.<entity>/<project>}, each coalesced by {@link RunNotices}.
 */
public final class LiveNotices implements RunChanges {
  public static final String PREFIX = "rb.ui.";
  public static final String RUN_PREFIX = PREFIX + "run.";
  public static final String PROJECT_PREFIX = PREFIX + "project.";

  private final RunNotices notices;

  public LiveNotices(RunNotices notices) {
    this.notices = notices;
  }

  public static String runAddress(RunKey run) {
    return RUN_PREFIX + run.entity() + "/" + run.project() + "/" + run.name();
  }

  public static String projectAddress(String entity, String project) {
    return PROJECT_PREFIX + entity + "/" + project;
  }

  @Override
  public void changed(RunKey run, Snapshot now, boolean created, boolean stateChanged) {
    notices.offer(
        runAddress(run),
        new JsonObject()
            .put("state", now.state())
            .put("historyLineCount", now.historyLineCount())
            .put("logLineCount", now.logLineCount())
            .put("eventsLineCount", now.eventsLineCount())
            .put("updatedAt", Instant.ofEpochMilli(now.updatedAtMillis()).toString())
            .put("stopRequested", now.stopRequested()));
    if (created || stateChanged) {
      notices.offer(
          projectAddress(run.entity(), run.project()),
          new JsonObject().put("run", run.name()).put("state", now.state()));
    }
  }
}
