package dev.runbus.client;

import dev.runbus.proto.Record;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/** The pump's work per row: ten floats and two times to JSON, twelve items, one record. */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class RowEncoderBenchmark {

  private final RowEncoder encoder = new RowEncoder();
  private Row row;

  @Setup
  public void setUp() {
    String[] keys = new String[10];
    Object[] values = new Object[10];
    for (int k = 0; k < 10; k++) {
      keys[k] = "metric_" + k;
      values[k] = (float) Math.sin(k + 0.5);
    }
    row = new Row(keys, values, 10, -1, null, 1795734930.853234, 12.345678);
  }

  @Benchmark
  public Record encodeTenFloatRow() {
    return encoder.encode(row);
  }
}
