package dev.runbus.server.bench;

import java.io.PrintStream;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;

/**
 * What the web UI asks of the server, timed as the browser asks it: opening the workspace of a
 * long run (the run, its keys, then every chart's sampled history, its system metrics and console
 * at once, over six connections like a browser's) and listing a project of many runs (the first
 * page of the table, the column picker's keys). The wall time from the first request to the last
 * answer is the figure; the browser's own drawing is measured apart (docs/benchmarks.md).
 */
public final class UiBench {
  /** Connections a browser opens to one HTTP/1.1 origin. */
  private static final int BROWSER_CONNECTIONS = 6;

  /**
   * @param rows history rows of the long run
   * @param metrics float keys per row (one chart each)
   * @param runs runs in the listed project
   * @param samplePoints points per chart the workspace asks for
   */
  public record Options(long rows, int metrics, int runs, int samplePoints, int repeats) {}

  private final WandbWire wire;
  private final Options options;
  private final PrintStream out;
  private final String project = "ui-bench-" + Long.toString(System.currentTimeMillis(), 36);
  private final ExecutorService browser =
      Executors.newFixedThreadPool(
          BROWSER_CONNECTIONS,
          r -> {
            Thread t = new Thread(r, "ui-bench");
            t.setDaemon(true); // a caller that only seeds never shuts the pool down
            return t;
          });

  public UiBench(String url, String apiKey, Options options, PrintStream out) {
    this.wire = new WandbWire(url, apiKey);
    this.options = options;
    this.out = out;
  }

  /** Where the seeded data is: the long run is {@code runs/long}, the others {@code run-<i>}. */
  public record Seeded(String entity, String project) {}

  /** Seeds the long run and the project's runs (a browser benchmark seeds through this too). */
  public Seeded seed() throws Exception {
    String entity = seedLongRun();
    seedRuns(entity);
    return new Seeded(entity, project);
  }

  public List<ServerBench.Figure> run() throws Exception {
    try {
      String entity = seed().entity();
      List<ServerBench.Figure> figures = new ArrayList<>();
      String runPath = projectPath(entity) + "/runs/long";
      String keys = metricKeys();
      figures.add(
          timed(
              "workspace_open_ms",
              String.format(
                  "workspace of a %,d-row run, %d charts of %,d points", options.rows(),
                  options.metrics(), options.samplePoints()),
              () -> openWorkspace(runPath, keys, "")));
      figures.add(
          timed(
              "workspace_open_runtime_x_ms",
              "the same with x = _runtime",
              () -> openWorkspace(runPath, keys, "&x=_runtime")));
      figures.add(
          timed(
              "project_list_ms",
              String.format("first page of a project of %,d runs, newest first", options.runs()),
              () -> listProject(entity, "")));
      figures.add(
          timed(
              "project_list_summary_sort_ms",
              "the same sorted by a summary metric",
              () -> listProject(entity, "&sort=summary.loss&order=asc")));
      figures.add(
          timed(
              "project_list_search_ms",
              "the same filtered by a name search",
              () -> listProject(entity, "&search=run-9")));
      return figures;
    } finally {
      browser.shutdownNow();
    }
  }

  /** One run of {@code rows} history lines, with system metrics and console lines. */
  private String seedLongRun() {
    String entity = wire.upsertRun(project, "long");
    BenchRows rows = new BenchRows(options.metrics(), System.currentTimeMillis() / 1000.0);
    AtomicLong stored = new AtomicLong();
    Progress progress = new Progress(out, "long run", options.rows(), stored);
    // 10,000 lines of 10 metrics a post, fewer of more (a post stays a few MiB, under the limit)
    int postRows = Math.max(100, 100_000 / Math.max(1, options.metrics()));
    for (long offset = 0; offset < options.rows(); offset += postRows) {
      int count = (int) Math.min(postRows, options.rows() - offset);
      wire.fileStream(entity, project, "long", rows.historyPost(offset, count));
      stored.addAndGet(count);
    }
    progress.close();
    // a long run's system metrics (one line per 15 s: 1,000 lines are four hours) and console
    StringBuilder events = new StringBuilder("{\"files\":{\"wandb-events.jsonl\":{\"offset\":0,\"content\":[");
    StringBuilder console = new StringBuilder("{\"files\":{\"output.log\":{\"offset\":0,\"content\":[");
    for (int i = 0; i < 1000; i++) {
      String sep = i == 0 ? "" : ",";
      events.append(sep).append(String.format(
          "\"{\\\"system.cpu\\\":%d.5,\\\"system.memory\\\":%d.25,\\\"system.jvm.heap.used\\\":%d,"
              + "\\\"_runtime\\\":%d,\\\"_timestamp\\\":%d}\"",
          i % 100, 40 + i % 7, 1000 + i, i * 15, 1_700_000_000 + i * 15));
      console.append(sep).append(String.format(
          "\"%s2026-01-01T00:00:00.000000 step %d loss %.4f\\n\"", i % 10 == 0 ? "ERROR " : "", i,
          1.0 / (i + 1)));
    }
    wire.fileStream(entity, project, "long", events.append("]}}}").toString().getBytes(StandardCharsets.UTF_8));
    wire.fileStream(entity, project, "long", console.append("]}}}").toString().getBytes(StandardCharsets.UTF_8));
    wire.fileStream(entity, project, "long", WandbWire.completePost(0));
    return entity;
  }

  /** {@code runs} short finished runs, each with a summary to sort by. */
  private void seedRuns(String entity) throws Exception {
    AtomicLong done = new AtomicLong();
    Progress progress = new Progress(out, "runs", options.runs(), done);
    List<CompletableFuture<Void>> all = new ArrayList<>();
    for (int i = 0; i < options.runs(); i++) {
      String run = "run-" + i;
      double loss = 1.0 / (1 + (i * 7919L) % options.runs());
      all.add(CompletableFuture.runAsync(() -> {
        wire.upsertRun(project, run);
        String summary = String.format(
            "{\"files\":{\"wandb-summary.json\":{\"offset\":0,\"content\":[\"{\\\"loss\\\":%s,"
                + "\\\"acc\\\":%s,\\\"_runtime\\\":%d,\\\"_step\\\":99}\"]}},\"complete\":true,"
                + "\"exitcode\":0}", loss, 1 - loss, 60 + run.length());
        wire.fileStream(entity, project, run, summary.getBytes(StandardCharsets.UTF_8));
        done.incrementAndGet();
      }, browser));
    }
    CompletableFuture.allOf(all.toArray(CompletableFuture[]::new)).get();
    progress.close();
  }

  private void openWorkspace(String runPath, String keys, String x) {
    join(get(runPath), get(runPath + "/history/keys"));
    join(
        get(runPath + "/history?keys=" + keys + "&samples=" + options.samplePoints() + x),
        get(runPath + "/events?from=0&limit=1000"),
        get(runPath + "/console?from=0&limit=1000"),
        get(runPath + "/files"));
  }

  private void listProject(String entity, String query) {
    String projects = "/api/v1/entities/" + encode(entity) + "/projects";
    join(
        get(projects),
        get(projectPath(entity) + "/runs?limit=50" + query),
        get(projectPath(entity) + "/keys"));
  }

  private ServerBench.Figure timed(String name, String what, Runnable action) {
    action.run(); // two warm-ups: the first pays for the server's cold code and caches
    action.run();
    double[] millis = new double[options.repeats()];
    for (int i = 0; i < millis.length; i++) {
      long t0 = System.nanoTime();
      action.run();
      millis[i] = (System.nanoTime() - t0) / 1e6;
    }
    double median = ServerBench.median(millis);
    StringBuilder each = new StringBuilder();
    for (double m : millis) {
      each.append(each.length() == 0 ? "" : " ").append(String.format("%.1f", m));
    }
    out.printf("%s: median %.1f ms (runs: %s)%n", what, median, each);
    return new ServerBench.Figure(name, median, "ms");
  }

  private CompletableFuture<String> get(String pathAndQuery) {
    Supplier<String> call = () -> wire.get(pathAndQuery);
    return CompletableFuture.supplyAsync(call, browser);
  }

  private static void join(CompletableFuture<?>... requests) {
    CompletableFuture.allOf(requests).join();
  }

  private String metricKeys() {
    StringBuilder keys = new StringBuilder();
    for (int m = 0; m < options.metrics(); m++) {
      keys.append(m == 0 ? "" : ",").append('m').append(m);
    }
    return keys.toString();
  }

  private String projectPath(String entity) {
    return "/api/v1/entities/" + encode(entity) + "/projects/" + encode(project);
  }

  private static String encode(String part) {
    return URLEncoder.encode(part, StandardCharsets.UTF_8);
  }
}
