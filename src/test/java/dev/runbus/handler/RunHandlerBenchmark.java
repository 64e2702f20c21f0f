package dev.runbus.handler;

import dev.runbus.proto.HistoryItem;
import dev.runbus.proto.PartialHistoryRequest;
import dev.runbus.proto.Record;
import dev.runbus.proto.Request;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.infra.Blackhole;

/** The Handler's work per logged row: step, _step item, sampling, summary. */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class RunHandlerBenchmark {

  private RunHandler handler;
  private Record logged;

  @Setup
  public void setUp() {
    handler = RunHandler.create(1795734930.0, 0);
    PartialHistoryRequest.Builder partial = PartialHistoryRequest.newBuilder();
    for (int k = 0; k < 10; k++) {
      partial.addItem(
          HistoryItem.newBuilder().setKey("metric_" + k).setValueJson(Float.toString(k + 0.123f)));
    }
    partial.addItem(HistoryItem.newBuilder().setKey("_timestamp").setValueJson("1795734930.853234"));
    partial.addItem(HistoryItem.newBuilder().setKey("_runtime").setValueJson("0.853234"));
    logged = Record.newBuilder().setRequest(Request.newBuilder().setPartialHistory(partial)).build();
  }

  @Benchmark
  public void handleTenFloatRow(Blackhole out) {
    handler.handle(logged, out::consume);
  }
}
