package dev.runbus.client;

import dev.runbus.proto.PipelineProgress;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;

/** A child JVM that shows finish()'s progress on its standard error, deciding the form itself. */
public final class ProgressChild {

  private ProgressChild() {}

  public static void main(String[] args) {
    FinishProgress progress =
        new FinishProgress(new PrintStream(System.err, true, StandardCharsets.UTF_8), false);
    for (int records = 10; records <= 30; records += 10) {
      progress.show(PipelineProgress.newBuilder().setRecordsWritten(records).build(), 0);
    }
    progress.done();
  }
}
