package dev.runbus.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.google.protobuf.ByteString;
import dev.runbus.bus.Bus;
import dev.runbus.bus.ValueCursor;
import dev.runbus.json.FloatText;
import dev.runbus.kernel.Kernel;
import dev.runbus.proto.AttachRequest;
import dev.runbus.proto.AttachResponse;
import dev.runbus.proto.FinishResponse;
import dev.runbus.proto.HistoryRows;
import dev.runbus.proto.RankIdentity;
import dev.runbus.proto.Record;
import dev.runbus.proto.RecordBatch;
import dev.runbus.proto.Request;
import dev.runbus.proto.RunRecord;
import dev.runbus.service.RunHost;
import dev.runbus.service.ServiceConfig;
import dev.runbus.service.ServiceContext;
import dev.runbus.service.ServiceToken;
import dev.runbus.service.grpc.GrpcPublisher;
import dev.runbus.service.grpc.GrpcRunClient;
import dev.runbus.service.grpc.GrpcTransportVerticle;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.concurrent.TimeUnit;

/**
 * {@code bench --mode grpc}: a runbus service in this JVM (its own Vert.x, a kernel, the run host
 * and the gRPC transport on a free loopback port, data in a temporary directory unless {@code
 * --dir} names one), and a client in another Vert.x that, per run, connects, attaches (timed),
 * publishes N rows of K floats in log_rows blocks of {@value #BLOCK_ROWS} rows, as the Java
 * client batches them, and finishes. Rows/s count from the first batch to the finish's answer,
 * so everything is in the log.
 */
final class GrpcBench {

  static final int BLOCK_ROWS = 512;
  private static final long WAIT_SECONDS = 600;

  private GrpcBench() {}

  static void run(long rows, int metrics, int runs, Path dir, boolean json, boolean threads)
      throws Exception {
    Path data = dir != null ? dir : Files.createTempDirectory("runbus-bench-grpc-");
    Vertx service = Vertx.vertx();
    Vertx clients = Vertx.vertx(); // a remote client's own, as in another process
    try {
      Bus.registerCodec(service);
      await(Kernel.deploy(service));
      ServiceToken token = ServiceToken.loadOrCreate(data);
      ServiceConfig config =
          ServiceConfig.defaults(data)
              .withGrpc(new ServiceConfig.Listener(ServiceConfig.DEFAULT_HOST, 0, null, null));
      RunHost host = new RunHost(service, config, token);
      GrpcTransportVerticle transport =
          new GrpcTransportVerticle(new ServiceContext(config, token, host));
      await(service.deployVerticle(transport));
      System.err.println(
          CliMessages.PREFIX + "gRPC service at 127.0.0.1:" + transport.port() + ", data in " + data);
      for (int r = 0; r < runs; r++) {
        ObjectNode out = oneRun(clients, transport.port(), token.value(), rows, metrics, r);
        if (json) {
          System.out.println(out);
        } else {
          out.fields()
              .forEachRemaining(
                  e -> System.out.printf("%-20s %s%n", e.getKey(), e.getValue().asText()));
        }
      }
      if (threads) {
        BenchCommand.printThreadCpu("after the runs (since the JVM started)");
      }
    } finally {
      clients.close().await(30, TimeUnit.SECONDS);
      service.close().await(60, TimeUnit.SECONDS);
    }
  }

  private static ObjectNode oneRun(
      Vertx vertx, int port, String token, long rows, int metrics, int index) throws Exception {
    var os = (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
    long cpuStart = os.getProcessCpuTime();
    String runId = "grpcbench" + Long.toString(System.currentTimeMillis() % 1_000_000, 36) + index;
    long attachStart = System.nanoTime();
    GrpcRunClient client = GrpcRunClient.connect(vertx, "127.0.0.1", port, token, null);
    AttachResponse attached =
        await(
            client.attach(
                AttachRequest.newBuilder()
                    .setRunId(runId)
                    .setCreate(true)
                    .setRank(RankIdentity.newBuilder().setRank(0).setWorldSize(1).setHost("bench"))
                    .setRun(RunRecord.newBuilder().setProject("runbus-bench"))
                    .build()));
    long attachNanos = System.nanoTime() - attachStart;

    String[] keys = new String[metrics];
    for (int k = 0; k < metrics; k++) {
      keys[k] = "metric_" + k;
    }
    GrpcPublisher publisher = await(client.publish(runId, 0, 8));
    byte[] buffer = new byte[BLOCK_ROWS * metrics * (FloatText.MAX_LENGTH + 5)];
    long start = System.nanoTime();
    for (long first = 0; first < rows; first += BLOCK_ROWS) {
      int n = (int) Math.min(BLOCK_ROWS, rows - first);
      int at = 0;
      for (int i = 0; i < n; i++) {
        for (int k = 0; k < metrics; k++) {
          // the value's text after a one-byte length (a float's text is at most 15 bytes)
          int end = FloatText.write((float) (Math.sin((first + i) * 0.001 + k) + k), buffer, at + 1);
          ValueCursor.putLength(buffer, at, end - at - 1);
          at = end;
        }
      }
      publisher.send(
          RecordBatch.newBuilder()
              .addRecord(
                  Record.newBuilder()
                      .setRequest(
                          Request.newBuilder()
                              .setLogRows(
                                  HistoryRows.newBuilder()
                                      .addAllKey(Arrays.asList(keys))
                                      .setValues(ByteString.copyFrom(buffer, 0, at)))))
              .build());
    }
    await(publisher.end());
    long publishNanos = System.nanoTime() - start;
    long finishStart = System.nanoTime();
    FinishResponse finished = await(client.finish(runId, 0, 0));
    long finishNanos = System.nanoTime() - finishStart;
    long totalNanos = System.nanoTime() - start;
    await(client.closeRun(runId, 0));
    client.close();

    ObjectNode out = new ObjectMapper().createObjectNode();
    out.put("mode", "grpc");
    out.put("rows", rows);
    out.put("metrics", metrics);
    out.put("attach_ms", round(attachNanos / 1e6));
    out.put("publish_rows_per_s", Math.round(rows / (publishNanos / 1e9)));
    out.put("finish_ms", round(finishNanos / 1e6));
    out.put("total_rows_per_s", Math.round(rows / (totalNanos / 1e9)));
    out.put("cpu_ms", round((os.getProcessCpuTime() - cpuStart) / 1e6));
    out.put("history_rows", finished.getHistoryRows());
    Path log = Path.of(attached.getLogPath());
    out.put("wandb_file", log.toString());
    out.put("wandb_bytes", Files.exists(log) ? Files.size(log) : -1);
    return out;
  }

  private static <T> T await(Future<T> future) throws Exception {
    return future.await(WAIT_SECONDS, TimeUnit.SECONDS);
  }

  private static double round(double v) {
    return Math.round(v * 100) / 100.0;
  }
}
