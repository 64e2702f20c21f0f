package dev.runbus.cli;

import dev.runbus.server.bench.ServerBench;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code runbus server bench}: measures a server from another JVM. By default it starts its own
 * server (this jar, a fresh data directory, {@code -Xmx256m}) so the heap figure is the server's
 * alone; {@code --url} and {@code --key} measure one already running instead.
 */
@Command(
    name = "bench",
    mixinStandardHelpOptions = true,
    description =
        "Measure a runbus server: FileStream ingest, sampled and full history reads, post latency"
            + " under load, and the server's heap.")
final class ServerBenchCommand implements Callable<Integer> {

  @Option(names = "--url", description = "A running server to measure (default: start one).")
  String url;

  @Option(names = "--key", description = "The API key for --url.")
  String key;

  @Option(
      names = "--db",
      description = "JDBC URL of the database for the server this starts (default: SQLite).")
  String db;

  @Option(names = "--rows", defaultValue = "1000000", description = "History rows to ingest.")
  long rows;

  @Option(names = "--streams", defaultValue = "2", description = "Runs posting at once.")
  int streams;

  @Option(names = "--post-rows", defaultValue = "10000", description = "Rows per FileStream post.")
  int postRows;

  @Option(names = "--metrics", defaultValue = "10", description = "Floats per row.")
  int metrics;

  @Option(names = "--samples", defaultValue = "1000", description = "Points per key, sampled read.")
  int samples;

  @Option(names = "--repeats", defaultValue = "5", description = "Timed repeats of each read.")
  int repeats;

  @Option(
      names = "--latency-posts",
      defaultValue = "200",
      description = "1,000-row posts timed while other runs log (0: skip).")
  int latencyPosts;

  @Option(names = "--background-runs", defaultValue = "10", description = "Runs logging meanwhile.")
  int backgroundRuns;

  @Option(
      names = "--ui",
      description =
          "Measure what the web UI asks instead: a --rows run's workspace opening and the first"
              + " page of a project of --ui-runs runs.")
  boolean ui;

  @Option(names = "--ui-runs", defaultValue = "1000", description = "Runs in the listed project.")
  int uiRuns;

  @Option(names = "--server-heap", defaultValue = "256m", description = "-Xmx of the server.")
  String serverHeap;

  @Override
  public Integer call() throws Exception {
    if (rows < streams || streams < 1 || postRows < 1) {
      throw new IllegalArgumentException("--rows must be at least --streams, both positive");
    }
    var options =
        new ServerBench.Options(
            rows, streams, postRows, metrics, samples, repeats, latencyPosts, backgroundRuns);
    if (url != null) {
      if (key == null) {
        throw new IllegalArgumentException("--url needs --key");
      }
      print(measure(url, key, options));
      return 0;
    }
    Path data = Files.createTempDirectory("runbus-server-bench");
    System.out.println("starting a server (-Xmx" + serverHeap + ") on " + data);
    try (var server = dev.runbus.server.bench.BenchServer.start(data, db, serverHeap)) {
      List<ServerBench.Figure> figures = measure(server.url(), server.apiKey(), options);
      print(figures);
      var heap = server.heap();
      System.out.printf(
          "server heap: %d collections, peak %d MiB in use after a collection, %d MiB before one,"
              + " %d MiB committed at most%n",
          heap.collections(), heap.peakAfterGcMb(), heap.peakBeforeGcMb(), heap.maxCommittedMb());
    } finally {
      deleteTree(data); // a 10,000,000-row run leaves 3 GB
    }
    return 0;
  }

  private List<ServerBench.Figure> measure(String url, String key, ServerBench.Options options)
      throws Exception {
    if (ui) {
      var uiOptions = new dev.runbus.server.bench.UiBench.Options(rows, metrics, uiRuns, samples, repeats);
      return new dev.runbus.server.bench.UiBench(url, key, uiOptions, System.out).run();
    }
    return new ServerBench(url, key, options, System.out).run();
  }

  private static void deleteTree(Path dir) throws java.io.IOException {
    try (var paths = Files.walk(dir)) {
      for (Path p : paths.sorted(java.util.Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(p);
      }
    }
  }

  private static void print(List<ServerBench.Figure> figures) {
    System.out.println();
    for (ServerBench.Figure figure : figures) {
      System.out.printf("%-26s %,14.1f %s%n", figure.name(), figure.value(), figure.unit());
    }
  }
}
