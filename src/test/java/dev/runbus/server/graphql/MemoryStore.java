package dev.runbus.server.graphql;

import dev.runbus.server.store.Accounts;
import dev.runbus.server.store.FileStreamPost;
import dev.runbus.server.store.FileStreams;
import dev.runbus.server.store.NotFoundException;
import dev.runbus.server.store.RunData;
import dev.runbus.server.store.RunFiles;
import dev.runbus.server.store.RunInfo;
import dev.runbus.server.store.RunKey;
import dev.runbus.server.store.RunUpsert;
import dev.runbus.server.store.Runs;
import dev.runbus.server.store.ServerStore;
import dev.runbus.server.store.User;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A small in-memory store, for the GraphQL tests until the SQL store is on main: it keeps what
 * GraphQL reads and writes (users, runs, history and events lines, file records) with the
 * contract's access rule (a user sees only its own entity).
 */
final class MemoryStore implements ServerStore {
  private final AtomicLong ids = new AtomicLong();
  private final Map<String, User> usersByKey = new ConcurrentHashMap<>();
  private final Map<RunKey, RunInfo> runs = new ConcurrentHashMap<>();
  private final Map<Long, List<String>> history = new ConcurrentHashMap<>();
  private final Map<Long, List<String>> events = new ConcurrentHashMap<>();
  private final Map<Long, List<RunFiles.FileInfo>> files = new ConcurrentHashMap<>();

  @Override
  public Accounts accounts() {
    return new Accounts() {
      @Override
      public IssuedKey createKey(String userName) {
        User user = new User(ids.incrementAndGet(), userName);
        String key = "key-" + userName + "-" + user.id();
        usersByKey.put(key, user);
        return new IssuedKey(user.id(), user, key);
      }

      @Override
      public List<KeyInfo> listKeys() {
        return List.of();
      }

      @Override
      public boolean revokeKey(long keyId) {
        return false;
      }

      @Override
      public Optional<User> userForKey(String key) {
        return Optional.ofNullable(usersByKey.get(key));
      }

      @Override
      public boolean noKeys() {
        return usersByKey.isEmpty();
      }
    };
  }

  @Override
  public Runs runs() {
    return new Runs() {
      @Override
      public synchronized Upserted upsert(User viewer, RunUpsert in) {
        String entity = in.entity() == null ? viewer.name() : in.entity();
        if (!entity.equals(viewer.name())) {
          throw new NotFoundException("entity " + entity + " not found");
        }
        String project = in.project() == null || in.project().isEmpty() ? "uncategorized" : in.project();
        RunKey key = new RunKey(entity, project, in.name());
        RunInfo old = runs.get(key);
        long now = System.currentTimeMillis();
        RunInfo run =
            new RunInfo(
                old == null ? ids.incrementAndGet() : old.id(),
                Base64.getEncoder()
                    .encodeToString(
                        ("Run:v1:" + in.name() + ":" + project + ":" + entity)
                            .getBytes(StandardCharsets.UTF_8)),
                entity,
                project,
                in.name(),
                pick(in.displayName(), old == null ? "quiet-run-" + ids.get() : old.displayName()),
                pick(in.state(), old == null ? "running" : old.state()),
                old == null ? null : old.exitCode(),
                pick(in.config(), old == null ? null : old.config()),
                pick(in.summaryMetrics(), old == null ? null : old.summary()),
                pick(in.notes(), old == null ? null : old.notes()),
                pick(in.description(), old == null ? null : old.description()),
                pick(in.group(), old == null ? null : old.group()),
                pick(in.jobType(), old == null ? null : old.jobType()),
                pick(in.host(), old == null ? null : old.host()),
                pick(in.program(), old == null ? null : old.program()),
                pick(in.repo(), old == null ? null : old.repo()),
                pick(in.commit(), old == null ? null : old.commit()),
                pick(in.sweep(), old == null ? null : old.sweep()),
                in.tags() != null ? in.tags() : old == null ? List.of() : old.tags(),
                old != null && old.stopRequested(),
                old == null ? 0 : old.historyLineCount(),
                old == null ? 0 : old.eventsLineCount(),
                old == null ? 0 : old.logLineCount(),
                old == null ? now : old.createdAtMillis(),
                now,
                null);
        runs.put(key, run);
        return new Upserted(run, old == null);
      }

      @Override
      public Optional<RunInfo> find(User viewer, RunKey key) {
        return key.entity().equals(viewer.name()) ? Optional.ofNullable(runs.get(key)) : Optional.empty();
      }

      @Override
      public synchronized void requestStop(User viewer, RunKey key) {
        RunInfo r = find(viewer, key).orElseThrow(() -> new NotFoundException("run not found"));
        runs.put(key, withStop(r));
      }

      @Override
      public List<String> entities(User viewer) {
        return List.of(viewer.name());
      }

      @Override
      public List<ProjectInfo> projects(User viewer, String entity) {
        throw new UnsupportedOperationException();
      }

      @Override
      public RunPage list(User viewer, RunFilter filter) {
        throw new UnsupportedOperationException();
      }
    };
  }

  @Override
  public FileStreams fileStreams() {
    return (viewer, key, post) -> {
      RunInfo run =
          runs().find(viewer, key).orElseThrow(() -> new NotFoundException("run not found"));
      synchronized (this) {
        append(history, run.id(), post.files().get("wandb-history.jsonl"));
        append(events, run.id(), post.files().get("wandb-events.jsonl"));
        RunInfo now = runs.get(key);
        runs.put(
            key,
            new RunInfo(now.id(), now.storageId(), now.entity(), now.project(), now.name(),
                now.displayName(), now.state(), now.exitCode(), now.config(), now.summary(),
                now.notes(), now.description(), now.group(), now.jobType(), now.host(),
                now.program(), now.repo(), now.commit(), now.sweep(), now.tags(),
                now.stopRequested(), lines(history, run.id()).size(),
                lines(events, run.id()).size(), now.logLineCount(), now.createdAtMillis(),
                now.updatedAtMillis(), now.heartbeatAtMillis()));
      }
      return new FileStreams.Applied(run.id(), run.stopRequested(), lines(history, run.id()).size());
    };
  }

  @Override
  public RunFiles files() {
    return new RunFiles() {
      @Override
      public void recordUpload(long runId, String name, long sizeBytes, String md5Base64) {
        files.computeIfAbsent(runId, id -> new ArrayList<>())
            .add(new FileInfo(name, sizeBytes, md5Base64, System.currentTimeMillis()));
      }

      @Override
      public List<FileInfo> list(long runId) {
        return List.copyOf(files.getOrDefault(runId, List.of()));
      }

      @Override
      public Optional<FileInfo> find(long runId, String name) {
        return list(runId).stream().filter(f -> f.name().equals(name)).findFirst();
      }
    };
  }

  @Override
  public RunData data() {
    return new RunData() {
      @Override
      public List<String> historyKeys(long runId) {
        throw new UnsupportedOperationException();
      }

      @Override
      public List<String> historyTail(long runId, int n) {
        return tail(lines(history, runId), n);
      }

      @Override
      public List<String> eventsTail(long runId, int n) {
        return tail(lines(events, runId), n);
      }

      @Override
      public void scanHistory(
          long runId, List<String> keys, long fromLine, long limit, LineSink sink) {
        throw new UnsupportedOperationException();
      }

      @Override
      public SampledHistory sampleHistory(long runId, List<String> keys, int points) {
        throw new UnsupportedOperationException();
      }

      @Override
      public void scanEvents(long runId, long fromLine, long limit, LineSink sink) {
        throw new UnsupportedOperationException();
      }

      @Override
      public void scanConsole(long runId, long fromLine, long limit, LineSink sink) {
        throw new UnsupportedOperationException();
      }
    };
  }

  @Override
  public String databaseKind() {
    return "memory";
  }

  @Override
  public void close() {}

  private static String pick(String value, String old) {
    return value != null ? value : old;
  }

  private static RunInfo withStop(RunInfo r) {
    return new RunInfo(r.id(), r.storageId(), r.entity(), r.project(), r.name(), r.displayName(),
        r.state(), r.exitCode(), r.config(), r.summary(), r.notes(), r.description(), r.group(),
        r.jobType(), r.host(), r.program(), r.repo(), r.commit(), r.sweep(), r.tags(), true,
        r.historyLineCount(), r.eventsLineCount(), r.logLineCount(), r.createdAtMillis(),
        r.updatedAtMillis(), r.heartbeatAtMillis());
  }

  private static List<String> lines(Map<Long, List<String>> byRun, long runId) {
    return byRun.computeIfAbsent(runId, id -> new ArrayList<>());
  }

  private static void append(Map<Long, List<String>> byRun, long runId, FileStreamPost.Chunk chunk) {
    if (chunk == null) {
      return;
    }
    List<String> stored = lines(byRun, runId);
    for (int i = 0; i < chunk.lines().size(); i++) {
      if (chunk.offset() + i >= stored.size()) {
        stored.add(chunk.lines().get(i));
      }
    }
  }

  private static List<String> tail(List<String> lines, int n) {
    return List.copyOf(lines.subList(Math.max(0, lines.size() - n), lines.size()));
  }
}
