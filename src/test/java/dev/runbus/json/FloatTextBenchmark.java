package dev.runbus.json;

import com.fasterxml.jackson.core.io.NumberOutput;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.infra.Blackhole;

/** One float to its shortest text: runbus's {@link FloatText} against Jackson's, per float. */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class FloatTextBenchmark {

  private static final int N = 1024;
  private final float[] values = new float[N];
  private final byte[] out = new byte[FloatText.MAX_LENGTH];

  @Setup
  public void setUp() {
    for (int i = 0; i < N; i++) {
      values[i] = (float) (Math.sin(i * 0.001 + i % 10) + i % 10); // metric-like, 8-9 digits
    }
  }

  @Benchmark
  @OperationsPerInvocation(N)
  public void floatText(Blackhole sink) {
    for (float v : values) {
      sink.consume(FloatText.write(v, out, 0));
    }
  }

  @Benchmark
  @OperationsPerInvocation(N)
  public void jackson(Blackhole sink) {
    for (float v : values) {
      sink.consume(NumberOutput.toString(v, true));
    }
  }
}
