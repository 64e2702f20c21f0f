package dev.runbus.server.bench;

import java.io.PrintStream;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The server's benchmark, run against a server in another JVM: FileStream ingest rate, sampled and
 * full history reads of the ingested run, the latency of one run's posts while other runs log, and
 * the server's heap through it all (from its GC log).
 */
public final class ServerBench {

  /**
   * @param rows history rows ingested, split evenly over {@code streams} runs posting at once
   * @param postRows lines per FileStream post (W&B's clients send up to 10,000)
   * @param metrics floats per row
   * @param samplePoints points per key for the sampled read
   * @param latencyPosts posts of 1,000 rows timed while {@code backgroundRuns} others log
   */
  public record Options(
      long rows,
      int streams,
      int postRows,
      int metrics,
      int samplePoints,
      int readRepeats,
      int latencyPosts,
      int backgroundRuns) {}

  private final WandbWire wire;
  private final Options options;
  private final PrintStream out;
  private final String project = "bench-" + Long.toString(System.currentTimeMillis(), 36);

  public ServerBench(String url, String apiKey, Options options, PrintStream out) {
    this.wire = new WandbWire(url, apiKey);
    this.options = options;
    this.out = out;
  }

  /** Runs every phase and returns the figures, in the order printed. */
  public List<Figure> run() throws Exception {
    List<Figure> figures = new ArrayList<>();
    Ingest ingest = ingest();
    figures.add(new Figure("ingest_rows_per_s", ingest.rowsPerSecond(), "rows/s"));
    String firstRun = ingest.runs().get(0);
    long rowsInRun = options.rows() / options.streams();
    figures.add(sampledRead(ingest.entity(), firstRun, rowsInRun));
    figures.add(fullRead(ingest.entity(), firstRun, rowsInRun));
    if (options.latencyPosts() > 0) {
      figures.addAll(latencyUnderLoad(ingest.entity()));
    }
    return figures;
  }

  public record Figure(String name, double value, String unit) {}

  record Ingest(String entity, List<String> runs, double rowsPerSecond) {}

  private Ingest ingest() throws Exception {
    long perRun = options.rows() / options.streams();
    List<String> runs = new ArrayList<>();
    String entity = null;
    for (int s = 0; s < options.streams(); s++) {
      String run = "ingest" + s;
      entity = wire.upsertRun(project, run);
      runs.add(run);
    }
    String finalEntity = entity;
    AtomicLong stored = new AtomicLong();
    ExecutorService pool = Executors.newFixedThreadPool(options.streams());
    Progress progress = new Progress(out, "ingest", options.rows(), stored);
    long start = System.nanoTime();
    List<Future<?>> streams = new ArrayList<>();
    for (String run : runs) {
      streams.add(
          pool.submit(
              () -> {
                postHistory(finalEntity, run, perRun, options.postRows(), stored);
                return null;
              }));
    }
    for (Future<?> stream : streams) {
      stream.get();
    }
    double seconds = (System.nanoTime() - start) / 1e9;
    progress.close();
    pool.shutdown();
    for (String run : runs) {
      wire.fileStream(finalEntity, project, run, WandbWire.completePost(0));
    }
    double rate = perRun * options.streams() / seconds;
    out.printf(
        "ingest: %,d rows in %d runs, %,d-row posts: %.2f s, %,.0f rows/s%n",
        perRun * options.streams(), options.streams(), options.postRows(), seconds, rate);
    return new Ingest(entity, runs, rate);
  }

  private void postHistory(String entity, String run, long rows, int postRows, AtomicLong stored) {
    BenchRows generator = new BenchRows(options.metrics(), System.currentTimeMillis() / 1000.0);
    for (long offset = 0; offset < rows; offset += postRows) {
      int count = (int) Math.min(postRows, rows - offset);
      wire.fileStream(
          entity, project, run, generator.historyPost(offset, count));
      stored.addAndGet(count);
    }
  }

  private Figure sampledRead(String entity, String run, long rowsInRun) {
    String path =
        runPath(entity, run)
            + "/history?keys=m0,m1,m2&samples="
            + options.samplePoints();
    double[] millis = timeRepeated(() -> wire.get(path));
    double median = median(millis);
    out.printf(
        "sampled read: 3 keys of %,d rows to %,d points: median %.1f ms (runs: %s)%n",
        rowsInRun, options.samplePoints(), median, formatted(millis));
    return new Figure("sampled_read_ms", median, "ms");
  }

  private Figure fullRead(String entity, String run, long rowsInRun) {
    String path = runPath(entity, run) + "/history?keys=m0";
    long[] lines = new long[1];
    double[] millis = timeRepeated(() -> lines[0] = wire.countLines(path));
    double median = median(millis);
    double valuesPerSecond = rowsInRun / (median / 1000.0);
    out.printf(
        "full read: 1 key of %,d rows (%,d lines): median %.1f ms, %,.0f values/s%n",
        rowsInRun, lines[0], median, valuesPerSecond);
    return new Figure("full_read_values_per_s", valuesPerSecond, "values/s");
  }

  private List<Figure> latencyUnderLoad(String entity) throws Exception {
    int background = options.backgroundRuns();
    AtomicBoolean stop = new AtomicBoolean();
    AtomicLong backgroundRows = new AtomicLong();
    ExecutorService pool = Executors.newFixedThreadPool(background + 1);
    List<Future<?>> loggers = new ArrayList<>();
    for (int r = 0; r < background; r++) {
      String run = "background" + r;
      wire.upsertRun(project, run);
      loggers.add(
          pool.submit(
              () -> {
                BenchRows generator = new BenchRows(options.metrics(), 0);
                long offset = 0;
                while (!stop.get()) {
                  // a training loop's pace: 100 rows every 50 ms per run
                  wire.fileStream(
                      entity,
                      project,
                      run,
                      generator.historyPost(offset, 100));
                  offset += 100;
                  backgroundRows.addAndGet(100);
                  TimeUnit.MILLISECONDS.sleep(50);
                }
                return null;
              }));
    }
    String measured = "measured";
    wire.upsertRun(project, measured);
    BenchRows generator = new BenchRows(options.metrics(), 0);
    double[] millis = new double[options.latencyPosts()];
    long backgroundStart = backgroundRows.get();
    long start = System.nanoTime();
    for (int i = 0; i < millis.length; i++) {
      byte[] body = generator.historyPost(i * 1000L, 1000);
      long t0 = System.nanoTime();
      wire.fileStream(entity, project, measured, body);
      millis[i] = (System.nanoTime() - t0) / 1e6;
      TimeUnit.MILLISECONDS.sleep(20);
    }
    double seconds = (System.nanoTime() - start) / 1e9;
    stop.set(true);
    for (Future<?> logger : loggers) {
      logger.get();
    }
    pool.shutdown();
    double[] sorted = millis.clone();
    Arrays.sort(sorted);
    double p50 = sorted[sorted.length / 2];
    double p99 = sorted[Math.min(sorted.length - 1, (int) Math.ceil(sorted.length * 0.99) - 1)];
    out.printf(
        "latency: %d posts of 1,000 rows while %d runs log %,.0f rows/s: p50 %.1f ms, p99 %.1f ms%n",
        millis.length, background, (backgroundRows.get() - backgroundStart) / seconds, p50, p99);
    return List.of(
        new Figure("post_1000_rows_p50_ms", p50, "ms"),
        new Figure("post_1000_rows_p99_ms", p99, "ms"));
  }

  private double[] timeRepeated(Runnable read) {
    read.run(); // warm: the first read pays for the server's cold caches
    read.run();
    double[] millis = new double[options.readRepeats()];
    for (int i = 0; i < millis.length; i++) {
      long t0 = System.nanoTime();
      read.run();
      millis[i] = (System.nanoTime() - t0) / 1e6;
    }
    return millis;
  }

  private String runPath(String entity, String run) {
    return "/api/v1/entities/"
        + encode(entity)
        + "/projects/"
        + encode(project)
        + "/runs/"
        + encode(run);
  }

  private static String encode(String part) {
    return URLEncoder.encode(part, StandardCharsets.UTF_8);
  }

  static double median(double[] values) {
    double[] sorted = values.clone();
    Arrays.sort(sorted);
    int n = sorted.length;
    return n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
  }

  private static String formatted(double[] millis) {
    StringBuilder text = new StringBuilder();
    for (double m : millis) {
      text.append(text.length() == 0 ? "" : " ").append(String.format("%.1f", m));
    }
    return text.toString();
  }
}
