package dev.runbus;

import dev.runbus.proto.PipelineProgress;
import io.vertx.core.Vertx;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

/**
 * A process that will be killed in its first second: starts a run with a config, logs a few rows
 * and says how many records the Writer reported written, then waits to be killed. Its flush tick
 * is a minute away, so only what the Writer handed to the OS at once can be in the log.
 */
public final class FreshRunChild {

  public static void main(String[] args) throws Exception {
    try {
      run(args);
    } catch (Throwable e) {
      e.printStackTrace(System.out); // the test reads this; Vert.x's threads would keep us alive
      System.exit(2);
    }
  }

  private static void run(String[] args) throws Exception {
    Path dir = Path.of(args[0]);
    int rows = Integer.parseInt(args[1]);
    Vertx vertx = Vertx.vertx();
    WriterProgress progress = WriterProgress.watch(vertx);
    Run run =
        Runbus.init(
            vertx,
            Settings.builder()
                .dir(dir)
                .runId("fresh")
                .config(Map.of("lr", 0.01))
                .flushInterval(Duration.ofMinutes(1))
                .quiet(true)
                .environment(Map.of())
                .build());
    for (int i = 0; i < rows; i++) {
      run.log(Map.of("loss", 1.0 / (i + 1)));
    }
    // the header, the run and the rows at least: the Writer answers once they are written
    PipelineProgress written =
        progress.await(p -> p.getRecordsWritten() >= 2 + rows, Duration.ofSeconds(60));
    System.out.println("LOG " + run.logFile());
    System.out.println("WRITTEN " + written.getRecordsWritten());
    System.out.flush();
    Thread.sleep(60_000); // the test kills it long before; never outlive a test that gave up
    System.exit(3);
  }
}
