package dev.runbus.cli;

import com.hazelcast.config.Config;
import dev.runbus.bus.Bus;
import dev.runbus.cluster.ClusterSetup;
import dev.runbus.kernel.Kernel;
import dev.runbus.service.RunHost;
import dev.runbus.service.ServiceConfig;
import dev.runbus.service.ServiceContext;
import dev.runbus.service.ServiceToken;
import dev.runbus.service.cluster.ClusterDoorVerticle;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.json.JsonObject;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

/**
 * {@code bench --mode cluster}: this JVM is the service (a full member with the kernel, the door
 * and a run host, its heap watched), on a cluster of the bench's own (a fresh name and port, so it
 * never meets a real one); each rank is a JVM of its own ({@link RankBench}) that attaches through
 * the environment, as a launcher script would start it. Reports each rank's attach time and rows/s,
 * the ranks' rows/s together into the one run, and the service's live heap through the run.
 */
final class ClusterBench {

  private static final List<String> HAZELCAST_OPENS =
      List.of(
          "--add-exports", "java.base/jdk.internal.ref=ALL-UNNAMED",
          "--add-opens", "java.base/java.lang=ALL-UNNAMED",
          "--add-opens", "java.base/sun.nio.ch=ALL-UNNAMED",
          "--add-opens", "java.management/sun.management=ALL-UNNAMED",
          "--add-opens", "jdk.management/com.sun.management.internal=ALL-UNNAMED");

  /** How often the service's live heap is measured with a full collection (see HeapWatch). */
  private static final long HEAP_SAMPLE_MILLIS = 2000;

  private ClusterBench() {}

  static int run(int ranks, long rows, int metrics, boolean json) throws Exception {
    Path data = Files.createTempDirectory("runbus-bench-service-");
    Path xml = clusterConfig(data);
    String token = UUID.randomUUID().toString();
    Config config = ClusterSetup.load(new ClusterSetup.Source(xml, null, "the bench's own"));
    Vertx vertx =
        Vertx.builder()
            .with(ClusterSetup.eventBus(new VertxOptions(), Map.of()))
            .withClusterManager(ClusterSetup.forService(config))
            .buildClustered()
            .await(120, TimeUnit.SECONDS);
    try (HeapWatch heap = new HeapWatch()) {
      Bus.registerCodec(vertx);
      Kernel.deploy(vertx).await(60, TimeUnit.SECONDS);
      ServiceConfig service = ServiceConfig.defaults(data);
      ServiceToken serviceToken = ServiceToken.of(token);
      RunHost host = new RunHost(vertx, service, serviceToken);
      vertx
          .deployVerticle(new ClusterDoorVerticle(new ServiceContext(service, serviceToken, host)))
          .await(60, TimeUnit.SECONDS);
      double heapAtStart = heap.liveAfterFullGcMb();
      heap.sampleLiveEvery(HEAP_SAMPLE_MILLIS);
      String runId = "bench-" + UUID.randomUUID().toString().substring(0, 8);
      List<Process> processes = new ArrayList<>();
      for (int rank = 0; rank < ranks; rank++) {
        processes.add(startRank(rank, ranks, runId, token, xml, rows, metrics));
      }
      List<JsonObject> results = new ArrayList<>();
      for (Process process : processes) {
        results.add(resultOf(process));
      }
      long start = results.stream().mapToLong(r -> r.getLong("start_epoch_ms")).min().orElseThrow();
      long end = results.stream().mapToLong(r -> r.getLong("end_epoch_ms")).max().orElseThrow();
      JsonObject out =
          new JsonObject()
              .put("ranks", ranks)
              .put("rows_per_rank", rows)
              .put("metrics", metrics)
              .put("ranks_rows_per_s_total", Math.round(ranks * rows / ((end - start) / 1000.0)))
              .put("service_heap_live_start_mb", round(heapAtStart))
              .put("service_heap_live_peak_mb", round(heap.sampledPeakLiveMb()))
              .put("service_heap_after_gc_peak_mb", round(heap.peakLiveMb()))
              .put("service_heap_live_end_mb", round(heap.liveAfterFullGcMb()))
              .put("service_heap_max_mb", round(Runtime.getRuntime().maxMemory() / 1048576.0))
              .put("gc_count", heap.collections())
              .put("per_rank", new io.vertx.core.json.JsonArray(new ArrayList<>(results)));
      if (json) {
        System.out.println(out.encode());
      } else {
        System.out.println(out.encodePrettily());
      }
      return 0;
    } finally {
      vertx.close().await(60, TimeUnit.SECONDS);
    }
  }

  private static Process startRank(
      int rank, int world, String runId, String token, Path xml, long rows, int metrics)
      throws Exception {
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.addAll(HAZELCAST_OPENS);
    command.add("-cp");
    command.add(System.getProperty("java.class.path"));
    command.add(RankBench.class.getName());
    command.add(Long.toString(rows));
    command.add(Integer.toString(metrics));
    ProcessBuilder builder = new ProcessBuilder(command);
    builder.environment().keySet().removeIf(n -> n.startsWith("WANDB_") || n.startsWith("RUNBUS_"));
    builder.environment().put("RUNBUS_ATTACH", "cluster");
    builder.environment().put("RUNBUS_RANK", Integer.toString(rank));
    builder.environment().put("RUNBUS_WORLD_SIZE", Integer.toString(world));
    builder.environment().put("WANDB_RUN_ID", runId);
    builder.environment().put("WANDB_SILENT", "true");
    builder.environment().put("RUNBUS_SERVICE_TOKEN", token);
    builder.environment().put(ClusterSetup.CONFIG_VARIABLE, xml.toString());
    builder.redirectError(ProcessBuilder.Redirect.INHERIT);
    return builder.start();
  }

  /** The rank's JSON line; fails with its exit code when it printed none. */
  private static JsonObject resultOf(Process process) throws Exception {
    String last = null;
    try (BufferedReader out =
        new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
      for (String line = out.readLine(); line != null; line = out.readLine()) {
        if (line.startsWith("{")) {
          last = line;
        }
      }
    }
    int code = process.waitFor();
    if (last == null) {
      throw new IllegalStateException("a rank ended (" + code + ") without its result");
    }
    return new JsonObject(last);
  }

  /** runbus's default cluster configuration with a name and a base port of the bench's own. */
  private static Path clusterConfig(Path dir) throws Exception {
    String xml;
    try (var in = ClusterSetup.class.getClassLoader().getResourceAsStream(ClusterSetup.DEFAULT_RESOURCE)) {
      xml = new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
    int port;
    try (ServerSocket socket = new ServerSocket(0)) {
      port = Math.min(socket.getLocalPort(), 65_000);
    }
    xml =
        xml.replace("<cluster-name>runbus</cluster-name>", "<cluster-name>runbus-bench-" + UUID.randomUUID() + "</cluster-name>")
            .replace(">5701</port>", ">" + port + "</port>");
    Path file = dir.resolve("cluster.xml");
    Files.writeString(file, xml);
    return file;
  }

  private static double round(double v) {
    return Math.round(v * 100) / 100.0;
  }
}
