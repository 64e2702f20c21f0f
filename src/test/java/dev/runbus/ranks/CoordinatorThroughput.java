package dev.runbus.ranks;

import static dev.runbus.ranks.RankRecords.block;

import dev.runbus.bus.Addresses;
import dev.runbus.bus.Bus;
import dev.runbus.kernel.Kernel;
import dev.runbus.proto.AttachRequest;
import dev.runbus.proto.AttachResponse;
import dev.runbus.proto.FinishRequest;
import dev.runbus.proto.RankIdentity;
import dev.runbus.proto.Record;
import dev.runbus.proto.RecordBatch;
import dev.runbus.proto.Request;
import dev.runbus.service.RunHost;
import dev.runbus.service.ServiceConfig;
import dev.runbus.service.ServiceToken;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.DeliveryOptions;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;

/**
 * The coordinator's own ceiling, in one JVM with no network: N ranks send blocks of 512 rows of 10
 * floats (already encoded, as a rank's client sends them), four batches in flight each, into one
 * hosted run; prints rank-rows/s. Not a test: {@code java -cp target/runbus.jar:target/test-classes
 * dev.runbus.ranks.CoordinatorThroughput [ranks] [rows per rank]}.
 */
public final class CoordinatorThroughput {

  public static void main(String[] args) throws Exception {
    int ranks = args.length > 0 ? Integer.parseInt(args[0]) : 3;
    int rowsPerRank = args.length > 1 ? Integer.parseInt(args[1]) : 300_000;
    Path data = Files.createTempDirectory("coord-bench");
    Vertx vertx = Vertx.vertx();
    Kernel.deploy(vertx).await(30, TimeUnit.SECONDS);
    RunHost host = new RunHost(vertx, ServiceConfig.defaults(data).withToken("t"), ServiceToken.of("t"));
    List<String> keys = new ArrayList<>();
    for (int k = 0; k < 10; k++) {
      keys.add("metric" + k);
    }
    keys.add("_timestamp");
    keys.add("_runtime");
    Record blockRecord = block(keys, 512, (r, k) -> k < 10 ? "0.12345678" + k : "1700000000.5");
    RecordBatch batch = RecordBatch.newBuilder().addRecord(blockRecord).build();
    AttachResponse[] runs = new AttachResponse[ranks];
    for (int r = 0; r < ranks; r++) {
      runs[r] =
          host.attach(
                  AttachRequest.newBuilder().setToken("t").setRunId("bench").setCreate(true)
                      .setLabelKeys(ranks > 1)
                      .setRank(RankIdentity.newBuilder().setRank(r).setWorldSize(ranks)).build())
              .await(30, TimeUnit.SECONDS);
    }
    long start = System.nanoTime();
    List<Thread> threads = new ArrayList<>();
    for (int r = 0; r < ranks; r++) {
      int rank = r;
      Thread t =
          new Thread(
              () -> {
                Semaphore inFlight = new Semaphore(4);
                DeliveryOptions options = Bus.protobuf().addHeader(Addresses.RANK_HEADER, Integer.toString(rank));
                for (int sent = 0; sent < rowsPerRank; sent += 512) {
                  inFlight.acquireUninterruptibly();
                  vertx.runOnContext(
                      v -> vertx.eventBus().request(runs[rank].getIngestAddress(), batch, options)
                          .onComplete(x -> inFlight.release()));
                }
                inFlight.acquireUninterruptibly(4);
              });
      t.start();
      threads.add(t);
    }
    for (Thread t : threads) {
      t.join();
    }
    Record finish = Record.newBuilder().setRequest(Request.newBuilder().setFinish(FinishRequest.getDefaultInstance())).build();
    for (int r = ranks - 1; r >= 0; r--) {
      DeliveryOptions options = Bus.protobuf().addHeader(Addresses.RANK_HEADER, Integer.toString(r)).setSendTimeout(600_000);
      Future<?> done = vertx.eventBus().request(runs[r].getIngestAddress(), finish, options);
      done.await(600, TimeUnit.SECONDS);
    }
    double seconds = (System.nanoTime() - start) / 1e9;
    long rows = (long) ranks * ((rowsPerRank + 511) / 512) * 512;
    System.out.printf("ranks=%d rank_rows=%d seconds=%.2f rank_rows_per_s=%.0f log=%s%n", ranks, rows, seconds, rows / seconds, runs[0].getLogPath());
    vertx.close().await(30, TimeUnit.SECONDS);
  }
}
