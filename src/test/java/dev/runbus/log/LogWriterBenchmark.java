package dev.runbus.log;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/** Framing, checksumming and writing one 344-byte record (a typical history row) to a real file. */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class LogWriterBenchmark {

  private final byte[] payload = new byte[344];
  private Path file;
  private LogWriter writer;

  @Setup(Level.Iteration)
  public void open() throws IOException {
    for (int i = 0; i < payload.length; i++) {
      payload[i] = (byte) (i * 31);
    }
    file = Files.createTempFile("runbus-jmh-", ".wandb");
    Files.delete(file);
    writer = LogWriter.create(file);
  }

  @TearDown(Level.Iteration)
  public void close() throws IOException {
    writer.close();
    Files.deleteIfExists(file);
  }

  @Benchmark
  public long append() throws IOException {
    return writer.append(payload, 0, payload.length);
  }
}
