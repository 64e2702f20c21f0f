package dev.runbus.service.bridge;

import dev.runbus.Run;
import dev.runbus.RunResult;
import dev.runbus.Settings;
import dev.runbus.service.ServiceConfig;
import dev.runbus.service.ServiceException;
import dev.runbus.service.ServiceStatus;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.function.Function;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The bridge's open runs, each owned by the connection that started it. A run's frames apply in
 * order; a run whose connection closes before its client's {@code finish} is finished with exit
 * code {@value #ABANDONED_EXIT_CODE} after the frames it sent before (W&B shows it as failed; its
 * log ends properly, with the exit record). The service's stop finishes every open run the same
 * way, with exit code {@value #STOPPED_EXIT_CODE}, as a process ended by SIGTERM (as the service's
 * hosted runs do).
 */
final class BridgeSessions {

  /** The exit code of a run whose connection closed before its client finished it. */
  static final int ABANDONED_EXIT_CODE = 1;

  /** The exit code of a run the service's stop finished: 128 + SIGTERM. */
  static final int STOPPED_EXIT_CODE = 143;

  private static final Logger LOG = Logger.getLogger(BridgeSessions.class.getName());

  /**
   * @param maxSessions runs open at once over the bridge
   * @param maxPendingFrames frames of one run waiting to be applied
   * @param maxFrameBytes what one frame's values may weigh
   */
  record Limits(int maxSessions, int maxPendingFrames, long maxFrameBytes) {
    static final Limits DEFAULT = new Limits(256, 64, 16L << 20);
  }

  private record Entry(BridgeSession session, SerialExecutor queue) {}

  private final Function<Settings, Run> starter;
  private final ServiceConfig config;
  private final Executor pool;
  private final Limits limits;

  private final Map<String, Entry> open = new HashMap<>();
  private final Map<String, CompletableFuture<RunResult>> finishing = new HashMap<>();
  private final Map<String, Integer> starting = new HashMap<>(); // connection -> inits in flight
  private final Set<String> closed = new HashSet<>(); // closed while an init was in flight
  private final List<CompletableFuture<?>> inits = new ArrayList<>();
  private boolean stopping;

  /**
   * @param starter starts a run (in the service: {@code Runbus.init(vertx, settings)}); called on
   *     {@code pool}, never on an event loop
   */
  BridgeSessions(Function<Settings, Run> starter, ServiceConfig config, Executor pool, Limits limits) {
    this.starter = starter;
    this.config = config;
    this.pool = pool;
    this.limits = limits;
  }

  /** Answers a frame {@code connection} sent to {@code address}. */
  CompletableFuture<JsonObject> handle(String address, String connection, Object body) {
    if (!(body instanceof JsonObject json)) {
      return CompletableFuture.failedFuture(
          BridgeSession.invalid("the body of a frame to " + address + " must be a JSON object"));
    }
    try {
      return BridgeAddresses.INIT.equals(address) ? init(connection, json) : apply(address, connection, json);
    } catch (RuntimeException e) {
      return CompletableFuture.failedFuture(e);
    }
  }

  private synchronized CompletableFuture<JsonObject> init(String connection, JsonObject body) {
    if (stopping) {
      throw new ServiceException(ServiceStatus.UNAVAILABLE, "the service is stopping: no new run");
    }
    int inFlight = starting.values().stream().mapToInt(Integer::intValue).sum();
    if (open.size() + inFlight >= limits.maxSessions()) {
      throw new ServiceException(
          ServiceStatus.RESOURCE_EXHAUSTED,
          "the bridge has " + limits.maxSessions() + " runs open, its most; finish one first");
    }
    starting.merge(connection, 1, Integer::sum);
    CompletableFuture<JsonObject> started =
        CompletableFuture.supplyAsync(
            () -> {
              try {
                Settings settings = BridgeInit.settings(body, config, limits.maxFrameBytes());
                return opened(connection, starter.apply(settings));
              } finally {
                initDone(connection);
              }
            },
            pool);
    inits.add(started);
    started.whenComplete((r, e) -> forget(started));
    return started;
  }

  private synchronized void forget(CompletableFuture<?> init) {
    inits.remove(init);
  }

  private synchronized void initDone(String connection) {
    starting.computeIfPresent(connection, (c, n) -> n == 1 ? null : n - 1);
    if (!starting.containsKey(connection)) {
      closed.remove(connection);
    }
  }

  private synchronized JsonObject opened(String connection, Run run) {
    BridgeSession session = new BridgeSession(run, connection, limits.maxFrameBytes());
    Entry entry = new Entry(session, new SerialExecutor(pool, limits.maxPendingFrames()));
    if (open.putIfAbsent(run.id(), entry) != null) {
      finishQuietly(run);
      throw new ServiceException(
          ServiceStatus.ALREADY_EXISTS, "run " + run.id() + " is open over the bridge already");
    }
    if (stopping || closed.contains(connection)) {
      // its client is gone or the service stops: the run still ends properly
      finish(run.id(), entry, stopping ? STOPPED_EXIT_CODE : ABANDONED_EXIT_CODE);
      throw new ServiceException(ServiceStatus.UNAVAILABLE, "the connection closed during init");
    }
    return session.started();
  }

  private CompletableFuture<JsonObject> apply(String address, String connection, JsonObject body) {
    Entry entry = entry(connection, body);
    BridgeSession session = entry.session();
    return switch (address) {
      case BridgeAddresses.LOG -> entry.queue().submit(() -> session.log(body));
      case BridgeAddresses.CONFIG -> entry.queue().submit(() -> session.config(body));
      case BridgeAddresses.SUMMARY -> entry.queue().submit(() -> session.summary(body));
      case BridgeAddresses.SUMMARY_GET -> entry.queue().submit(() -> session.summaryGet(body));
      case BridgeAddresses.DEFINE_METRIC -> entry.queue().submit(() -> session.defineMetric(body));
      case BridgeAddresses.FINISH -> {
        CompletableFuture<JsonObject> finished = entry.queue().submit(() -> session.finish(body));
        finished.whenComplete((r, e) -> closedRun(session.id(), entry));
        yield finished;
      }
      default -> throw new ServiceException(ServiceStatus.NOT_FOUND, "no such address " + address);
    };
  }

  private synchronized Entry entry(String connection, JsonObject body) {
    String runId = BridgeSession.string(body, "run", true);
    Entry entry = open.get(runId);
    if (entry == null || !entry.session().connection().equals(connection)) {
      throw new ServiceException(
          ServiceStatus.NOT_FOUND,
          "no run " + runId + " is open on this connection: start one with " + BridgeAddresses.INIT
              + " (a finished run takes no more frames)");
    }
    return entry;
  }

  private synchronized void closedRun(String runId, Entry entry) {
    open.remove(runId, entry);
  }

  /** The connection closed: every run it started and did not finish is finished now. */
  synchronized void connectionClosed(String connection) {
    if (starting.containsKey(connection)) {
      closed.add(connection);
    }
    for (Map.Entry<String, Entry> e : List.copyOf(open.entrySet())) {
      if (e.getValue().session().connection().equals(connection)) {
        finish(e.getKey(), e.getValue(), stopping ? STOPPED_EXIT_CODE : ABANDONED_EXIT_CODE);
      }
    }
  }

  /** Finishes every open run (the service is stopping) and refuses new ones; done when all are. */
  CompletableFuture<Void> finishAll() {
    List<CompletableFuture<?>> starts;
    synchronized (this) {
      stopping = true;
      starts = new ArrayList<>(inits); // each finishes its run as it opens, seeing stopping
    }
    return settled(starts)
        .thenCompose(
            started -> {
              List<CompletableFuture<?>> finishes = new ArrayList<>();
              synchronized (this) {
                open.forEach((id, entry) -> finishes.add(finish(id, entry, STOPPED_EXIT_CODE)));
              }
              return settled(finishes);
            });
  }

  private static CompletableFuture<Void> settled(List<CompletableFuture<?>> futures) {
    return CompletableFuture.allOf(
        futures.stream().map(f -> f.handle((r, e) -> null)).toArray(CompletableFuture[]::new));
  }

  /** Runs open now. */
  synchronized int openRuns() {
    return open.size();
  }

  private synchronized CompletableFuture<RunResult> finish(String runId, Entry entry, int exitCode) {
    CompletableFuture<RunResult> done = finishing.get(runId);
    if (done != null) {
      return done;
    }
    Run run = entry.session().run();
    // after the frames the client sent before it went away
    CompletableFuture<RunResult> finished =
        entry.queue().always(() -> run.isFinished() ? null : run.finish(exitCode));
    finishing.put(runId, finished);
    finished.whenComplete(
        (result, failure) -> {
          if (failure != null) {
            LOG.log(Level.WARNING, "could not finish bridge run " + runId + ": " + failure, failure);
          }
          synchronized (this) {
            finishing.remove(runId);
            open.remove(runId, entry);
          }
        });
    return finished;
  }

  private static void finishQuietly(Run run) {
    try {
      run.finish(ABANDONED_EXIT_CODE);
    } catch (RuntimeException e) {
      LOG.log(Level.WARNING, "could not finish bridge run " + run.id() + ": " + e, e);
    }
  }
}
