package dev.runbus.client;

import dev.runbus.proto.Record;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * The pump's work per row: ten floats and two times to JSON, twelve items, one record ({@code
 * encodeTenFloatRow}, a lone row); or one row's share of a 512-row block ({@code
 * encodeTenFloatRowInABlock}, what a busy loop sends).
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class RowEncoderBenchmark {

  private final RowEncoder encoder = new RowEncoder();
  private Row row;
  private List<Row> block;

  @Setup
  public void setUp() {
    String[] keys = new String[10];
    Object[] values = new Object[10];
    for (int k = 0; k < 10; k++) {
      keys[k] = "metric_" + k;
      values[k] = (float) Math.sin(k + 0.5);
    }
    row = new Row(keys, values, 10, Row.NO_STEP, null, 1795734930.853234, 12.345678);
    block = new ArrayList<>();
    for (int i = 0; i < BLOCK_ROWS; i++) {
      Object[] rowValues = new Object[10];
      for (int k = 0; k < 10; k++) {
        rowValues[k] = (float) (Math.sin(i * 0.001 + k) + k);
      }
      block.add(new Row(keys, rowValues, 10, Row.NO_STEP, null, 1795734930.853234 + i * 1e-4, 12.3 + i));
    }
  }

  private static final int BLOCK_ROWS = 512;

  @Benchmark
  public Record encodeTenFloatRow() {
    return encoder.encode(row);
  }

  /** JMH divides by the rows: the figure is per row. */
  @Benchmark
  @OperationsPerInvocation(BLOCK_ROWS)
  public Record encodeTenFloatRowInABlock() {
    return encoder.encodeBlock(block, 0, BLOCK_ROWS);
  }
}
