package dev.runbus.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.runbus.Mode;
import dev.runbus.server.bench.BenchServer;
import dev.runbus.Run;
import dev.runbus.RunResult;
import dev.runbus.Runbus;
import dev.runbus.Settings;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import org.HdrHistogram.Histogram;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * Logs N rows of K float scalars offline through the public API in this process, then finishes, and
 * reports what it cost. The first run in the JVM pays for starting Vert.x, as a user's first run
 * does; {@code --runs} adds later ones, which find the kernel up.
 */
@Command(
    name = "bench",
    mixinStandardHelpOptions = true,
    description =
        "Measure log() latency, throughput, finish time, CPU and live heap for an offline run.",
    footerHeading = "%nMemory figures:%n",
    footer = {
      "heap_live_peak_mb: the most heap in use just after a collection in the run",
      "heap_live_end_mb:  the heap in use after finish() and a full collection",
      "heap_max_mb:       the heap's limit (-Xmx)",
      "--mode cluster: service_heap_live_peak_mb is the most heap in use after a full collection,"
          + " one every 2 s (a young collection leaves old garbage in place);"
          + " service_heap_after_gc_peak_mb the most just after any collection"
    })
final class BenchCommand implements Callable<Integer> {

  /** Longer log() calls are counted as this long; finish() gives up on a pipeline long before. */
  private static final long LONGEST_TRACKED_NANOS = TimeUnit.HOURS.toNanos(1);

  @Option(
      names = "--rows",
      defaultValue = "100000",
      description = "Rows to log (default: ${DEFAULT-VALUE}).")
  long rows;

  @Option(
      names = "--metrics",
      defaultValue = "10",
      description = "Float scalars per row (default: ${DEFAULT-VALUE}).")
  int metrics;

  @Option(
      names = "--rate",
      defaultValue = "0",
      description =
          "Rows per second to pace at; 0 logs as fast as possible (default: ${DEFAULT-VALUE}).")
  double rate;

  @Option(names = "--json", description = "Print one JSON object per run instead of a table.")
  boolean json;

  @Option(
      names = "--dir",
      description =
          "Where the run goes (default: a new temporary directory, kept so that its log can be"
              + " inspected).")
  Path dir;

  @Option(
      names = "--runs",
      defaultValue = "1",
      description =
          "Runs one after another in this JVM, one report each: the first pays for the cold"
              + " start, later ones show a sweep's steady state (default: ${DEFAULT-VALUE}).")
  int runs;

  @Option(
      names = "--mode",
      defaultValue = "offline",
      description =
          "offline, or online: also streamed to a server until finish() returns with everything"
              + " acknowledged; the server WANDB_BASE_URL and WANDB_API_KEY name, else a runbus"
              + " server started in another JVM for the bench; cluster: --ranks JVMs attach"
              + " over a cluster of the bench's own to a service in this JVM; or grpc: a runbus"
              + " service in this JVM on a free loopback port, a client attaching (timed) and"
              + " publishing the rows over gRPC, one connection per run (default: ${DEFAULT-VALUE}).")
  String mode;

  @Option(
      names = "--ranks",
      defaultValue = "1",
      description =
          "With --mode cluster: rank JVMs logging --rows each into one run hosted by a service"
              + " in this JVM (default: ${DEFAULT-VALUE}).")
  int ranks;

  @Option(
      names = "--stats",
      defaultValue = "on",
      description =
          "System metrics during the run: on (as a run's default: a sample every 2 s, a record"
              + " every 15 s) or off, to measure what they cost (default: ${DEFAULT-VALUE}).")
  String stats;

  @Option(
      names = "--console",
      defaultValue = "on",
      description =
          "on: the run captures System.out and System.err, as any run does by default; off:"
              + " WANDB_CONSOLE=off (default: ${DEFAULT-VALUE}).")
  String console;

  @Option(
      names = "--print-every",
      defaultValue = "0",
      description =
          "Also print a line to stderr every N rows while logging, for the console capture to"
              + " carry; 0 prints nothing (default: ${DEFAULT-VALUE}).")
  long printEvery;

  @Option(
      names = "--threads",
      description = "Also print each thread's CPU time (on stderr), to see where it goes.")
  boolean threads;

  @Override
  public Integer call() throws Exception {
    String invalid =
        Options.firstInvalid(
            Options.atLeastOne("--rows", rows),
            Options.atLeastOne("--metrics", metrics),
            Options.atLeastOne("--runs", runs),
            rate >= 0 ? null : "--rate must not be negative, got " + rate,
            stats.equals("on") || stats.equals("off")
                ? null
                : "--stats must be on or off, got " + stats,
            console.equals("on") || console.equals("off")
                ? null
                : "--console must be on or off, got " + console,
            printEvery >= 0 ? null : "--print-every must not be negative, got " + printEvery);
    if (invalid != null) {
      System.err.println(CliMessages.line(invalid));
      return 2;
    }
    if (!mode.equals("offline")
        && !mode.equals("online")
        && !mode.equals("cluster")
        && !mode.equals("grpc")) {
      System.err.println(
          CliMessages.line("--mode must be offline, online, cluster or grpc, got " + mode));
      return 2;
    }
    if (mode.equals("cluster")) {
      return ClusterBench.run(ranks, rows, metrics, json);
    }
    if (mode.equals("grpc")) {
      GrpcBench.run(rows, metrics, runs, dir, json, threads);
      return 0;
    }
    if (mode.equals("offline")) {
      Mode fromEnvironment = Settings.fromEnvironment().mode();
      if (fromEnvironment != Mode.OFFLINE) {
        System.err.println(
            CliMessages.PREFIX
                + "measuring an offline run; the environment's "
                + fromEnvironment.name().toLowerCase(java.util.Locale.ROOT)
                + " mode is ignored");
      }
      for (int r = 0; r < runs; r++) {
        benchOneRun(Settings.builder().mode(Mode.OFFLINE));
      }
      return 0;
    }
    if (Settings.builder().mode(Mode.OFFLINE).build().server().isPresent()) {
      for (int r = 0; r < runs; r++) {
        benchOneRun(Settings.builder().mode(Mode.ONLINE));
      }
      return 0;
    }
    Path data = Files.createTempDirectory("runbus-bench-server-");
    try (BenchServer server = BenchServer.start(data, null, "1g")) {
      System.err.println(CliMessages.PREFIX + "bench server at " + server.url() + ", data in " + data);
      for (int r = 0; r < runs; r++) {
        benchOneRun(
            Settings.builder().mode(Mode.ONLINE).baseUrl(server.url()).apiKey(server.apiKey()));
      }
    }
    return 0;
  }

  private void benchOneRun(Settings.Builder settings) throws Exception {
    Path root = dir != null ? dir : Files.createTempDirectory("runbus-bench-");
    String[] keys = new String[metrics];
    for (int k = 0; k < metrics; k++) {
      keys[k] = "metric_" + k;
    }
    var osBean =
        (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
    // one plain (unsynchronized) Histogram for the one thread that logs: recording is an array
    // increment, no allocation; a second logging thread would get its own and the two be added
    Histogram latency = new Histogram(LONGEST_TRACKED_NANOS, 3);

    long initStart = System.nanoTime();
    Run run =
        Runbus.init(
            settings
                .dir(root)
                .project("runbus-bench")
                .quiet(true)
                .stats(stats.equals("on"))
                .console(console.equals("on"))
                .build());
    long initNanos = System.nanoTime() - initStart;

    try (HeapWatch heap = new HeapWatch()) {
      long cpuStart = osBean.getProcessCpuTime();
      Map<String, Object> row = new HashMap<>();
      long loopStart = System.nanoTime();
      double intervalNanos = rate > 0 ? 1e9 / rate : 0;
      for (long i = 0; i < rows; i++) {
        if (intervalNanos > 0) {
          long due = loopStart + (long) (i * intervalNanos);
          while (System.nanoTime() < due) {
            LockSupport.parkNanos(Math.max(1000, due - System.nanoTime() - 20_000));
          }
        }
        for (int k = 0; k < metrics; k++) {
          row.put(keys[k], (float) (Math.sin(i * 0.001 + k) + k));
        }
        long t0 = System.nanoTime();
        run.log(row);
        latency.recordValue(Math.min(System.nanoTime() - t0, LONGEST_TRACKED_NANOS));
        if (printEvery > 0 && i % printEvery == 0) {
          System.err.println("bench: row " + i + " of " + rows); // outside the timed log()
        }
      }
      long loopNanos = System.nanoTime() - loopStart;
      if (threads) {
        printThreadCpu("after the log loop (since the JVM started)");
      }
      long finishStart = System.nanoTime();
      RunResult result = run.finish();
      long finishNanos = System.nanoTime() - finishStart;
      long cpuNanos = osBean.getProcessCpuTime() - cpuStart;

      ObjectNode out = new ObjectMapper().createObjectNode();
      out.put("rows", rows);
      out.put("metrics", metrics);
      out.put("rate", rate);
      out.put("stats", stats.equals("on"));
      out.put("init_ms", round(initNanos / 1e6));
      out.put("log_rows_per_s", Math.round(rows / (loopNanos / 1e9)));
      out.put("log_p50_us", micros(latency.getValueAtPercentile(50)));
      out.put("log_p99_us", micros(latency.getValueAtPercentile(99)));
      out.put("log_max_us", micros(latency.getMaxValue()));
      out.put("finish_ms", round(finishNanos / 1e6));
      out.put("total_rows_per_s", Math.round(rows / ((loopNanos + finishNanos) / 1e9)));
      out.put("cpu_ms", round(cpuNanos / 1e6));
      long collections = heap.collections(); // before the one liveAfterFullGcMb forces
      double liveAtEnd = heap.liveAfterFullGcMb();
      out.put("heap_live_peak_mb", round(heap.peakLiveMb()));
      out.put("heap_live_end_mb", round(liveAtEnd));
      out.put("heap_max_mb", round(Runtime.getRuntime().maxMemory() / 1048576.0));
      out.put("gc_count", collections);
      out.put("mode", result.mode().name().toLowerCase(java.util.Locale.ROOT));
      if (result.mode() == Mode.ONLINE) {
        out.put("uploaded", result.uploaded());
      }
      out.put("history_rows", result.historyRows());
      out.put("console", console);
      out.put("console_lines", result.consoleLines());
      out.put("wandb_file", result.logFile().toString());
      out.put("wandb_bytes", Files.size(result.logFile()));
      if (json) {
        System.out.println(out);
      } else {
        out.fields()
            .forEachRemaining(
                e -> System.out.printf("%-18s %s%n", e.getKey(), e.getValue().asText()));
      }
    }
  }

  /**
   * CPU per thread since it started, busiest first. On Linux every native thread is read from
   * /proc, so the JIT compilers and the garbage collector show up too; elsewhere only Java threads
   * are listed.
   */
  static void printThreadCpu(String when) {
    Map<String, Long> byName = new java.util.TreeMap<>();
    Path tasks = Path.of("/proc/self/task");
    if (Files.isDirectory(tasks)) {
      try (var stream = Files.list(tasks)) {
        for (Path task : (Iterable<Path>) stream::iterator) {
          try {
            String stat = Files.readString(task.resolve("stat"));
            String name = stat.substring(stat.indexOf('(') + 1, stat.lastIndexOf(')'));
            String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            long ticks = Long.parseLong(fields[11]) + Long.parseLong(fields[12]); // utime + stime
            byName.merge(name.replaceAll("\\d+", "N"), ticks * 10_000_000L, Long::sum);
          } catch (java.io.IOException | RuntimeException gone) {
            // the thread ended while we looked
          }
        }
      } catch (java.io.IOException e) {
        return;
      }
    } else {
      var bean = ManagementFactory.getThreadMXBean();
      for (long id : bean.getAllThreadIds()) {
        var info = bean.getThreadInfo(id);
        long cpu = bean.getThreadCpuTime(id);
        if (info != null && cpu > 0) {
          byName.merge(info.getThreadName().replaceAll("\\d+", "N"), cpu, Long::sum);
        }
      }
    }
    System.err.println("CPU by thread " + when + ":");
    byName.entrySet().stream()
        .filter(e -> e.getValue() > 0)
        .sorted(Map.Entry.<String, Long>comparingByValue().reversed())
        .forEach(e -> System.err.printf("%8.0f ms  %s%n", e.getValue() / 1e6, e.getKey()));
  }

  /**
   * A histogram value in microseconds. HdrHistogram reports the upper end of the value's bucket (at
   * 3 significant digits, within 0.1%), so a percentile never flatters.
   */
  private static double micros(long nanos) {
    return nanos / 1000.0;
  }

  private static double round(double v) {
    return Math.round(v * 100) / 100.0;
  }
}
