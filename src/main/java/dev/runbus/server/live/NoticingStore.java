package dev.runbus.server.live;

import dev.runbus.server.store.Accounts;
import dev.runbus.server.store.Alert;
import dev.runbus.server.store.FileStreamPost;
import dev.runbus.server.store.FileStreams;
import dev.runbus.server.store.RunData;
import dev.runbus.server.store.RunFiles;
import dev.runbus.server.store.RunInfo;
import dev.runbus.server.store.RunKey;
import dev.runbus.server.store.RunUpsert;
import dev.runbus.server.store.Runs;
import dev.runbus.server.store.ServerStore;
import dev.runbus.server.store.User;
import java.util.List;
import java.util.Optional;

/**
 * A store that tells {@link RunChanges} what its writes did to runs: FileStream posts that changed
 * a run, upserts that created a run or set its state, stop requests and runs marked crashed. Every
 * handler (FileStream, GraphQL, the read API, the silent-run sweep) gets this store, so none of
 * them has to know about live views. Reads pass straight through.
 */
public final class NoticingStore implements ServerStore {
  private final ServerStore store;
  private final RunChanges changes;
  private final Runs runs;
  private final FileStreams fileStreams;

  public NoticingStore(ServerStore store, RunChanges changes) {
    this.store = store;
    this.changes = changes;
    this.runs = new NoticingRuns(store.runs());
    this.fileStreams = this::apply;
  }

  private FileStreams.Applied apply(User viewer, RunKey key, FileStreamPost post) {
    FileStreams.Applied applied = store.fileStreams().apply(viewer, key, post);
    if (applied.changed()) {
      // the store refused any other entity than the viewer's; an empty project is uncategorized
      String project =
          key.project() == null || key.project().isEmpty() ? "uncategorized" : key.project();
      changes.changed(
          new RunKey(viewer.name(), project, key.name()),
          new RunChanges.Snapshot(
              applied.state(),
              applied.historyLineCount(),
              applied.logLineCount(),
              applied.eventsLineCount(),
              applied.updatedAtMillis(),
              applied.stopRequested()),
          false,
          applied.stateChanged());
    }
    return applied;
  }

  private void tell(RunInfo run, boolean created, boolean stateChanged) {
    changes.changed(
        new RunKey(run.entity(), run.project(), run.name()),
        new RunChanges.Snapshot(
            run.state(),
            run.historyLineCount(),
            run.logLineCount(),
            run.eventsLineCount(),
            run.updatedAtMillis(),
            run.stopRequested()),
        created,
        stateChanged);
  }

  @Override
  public Accounts accounts() {
    return store.accounts();
  }

  @Override
  public Runs runs() {
    return runs;
  }

  @Override
  public FileStreams fileStreams() {
    return fileStreams;
  }

  @Override
  public RunFiles files() {
    return store.files();
  }

  @Override
  public RunData data() {
    return store.data();
  }

  @Override
  public String databaseKind() {
    return store.databaseKind();
  }

  @Override
  public void close() {
    store.close();
  }

  /** The store's runs, telling of the writes that change what a live view shows. */
  private final class NoticingRuns implements Runs {
    private final Runs runs;

    NoticingRuns(Runs runs) {
      this.runs = runs;
    }

    @Override
    public Upserted upsert(User viewer, RunUpsert input) {
      return told(runs.upsert(viewer, input), input);
    }

    @Override
    public Upserted upsert(User viewer, String storageId, RunUpsert input) {
      return told(runs.upsert(viewer, storageId, input), input);
    }

    /** W&B's clients upsert often (config, summary); only a new run or a set state is news. */
    private Upserted told(Upserted upserted, RunUpsert input) {
      if (upserted.inserted() || input.state() != null) {
        tell(upserted.run(), upserted.inserted(), input.state() != null);
      }
      return upserted;
    }

    @Override
    public void requestStop(User viewer, RunKey key) {
      runs.requestStop(viewer, key);
      runs.find(viewer, key).ifPresent(run -> tell(run, false, false));
    }

    @Override
    public List<RunInfo> markSilentRunsCrashed(long silentSinceMillis) {
      List<RunInfo> crashed = runs.markSilentRunsCrashed(silentSinceMillis);
      for (RunInfo run : crashed) {
        tell(run, false, true);
      }
      return crashed;
    }

    @Override
    public Optional<RunInfo> find(User viewer, RunKey key) {
      return runs.find(viewer, key);
    }

    @Override
    public boolean raiseAlert(User viewer, RunKey key, Alert alert, long quietSeconds) {
      return runs.raiseAlert(viewer, key, alert, quietSeconds);
    }

    @Override
    public List<Alert> alerts(User viewer, RunKey key, int limit) {
      return runs.alerts(viewer, key, limit);
    }

    @Override
    public List<String> entities(User viewer) {
      return runs.entities(viewer);
    }

    @Override
    public List<ProjectInfo> projects(User viewer, String entity) {
      return runs.projects(viewer, entity);
    }

    @Override
    public RunPage list(User viewer, RunFilter filter) {
      return runs.list(viewer, filter);
    }

    @Override
    public ProjectKeys keys(User viewer, String entity, String project) {
      return runs.keys(viewer, entity, project);
    }
  }
}
