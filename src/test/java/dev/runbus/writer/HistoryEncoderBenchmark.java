package dev.runbus.writer;

import dev.runbus.proto.HistoryItem;
import dev.runbus.proto.HistoryRecord;
import dev.runbus.proto.HistoryStep;
import dev.runbus.proto.Record;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/** Encoding one 13-item history row: our encoder against protobuf's own. */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class HistoryEncoderBenchmark {

  private final HistoryEncoder encoder = new HistoryEncoder();
  private Record row;
  private long num;

  @Setup
  public void setUp() {
    HistoryRecord.Builder history = HistoryRecord.newBuilder();
    for (int k = 0; k < 10; k++) {
      history.addItem(
          HistoryItem.newBuilder().setKey("metric_" + k).setValueJson(Float.toString(k + 0.123f)));
    }
    history.addItem(HistoryItem.newBuilder().setKey("_timestamp").setValueJson("1795734930.853234"));
    history.addItem(HistoryItem.newBuilder().setKey("_runtime").setValueJson("12.345678"));
    history.addItem(HistoryItem.newBuilder().setKey("_step").setValueJson("123456"));
    history.setStep(HistoryStep.newBuilder().setNum(123456));
    row = Record.newBuilder().setHistory(history).build();
  }

  @Benchmark
  public int runbusEncoder() {
    encoder.encode(++num, row);
    return encoder.length();
  }

  @Benchmark
  public byte[] protobufEncoder() {
    return row.toBuilder().setNum(++num).build().toByteArray();
  }
}
