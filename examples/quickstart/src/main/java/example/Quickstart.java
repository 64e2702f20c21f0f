package example;

import dev.runbus.MetricDefinition;
import dev.runbus.Run;
import dev.runbus.RunResult;
import dev.runbus.Runbus;
import dev.runbus.Settings;
import java.util.Map;

/** The README's Java example, as a user's own project runs it. */
public final class Quickstart {

  public static void main(String[] args) {
    Settings settings = Settings.builder().project("mnist").config(Map.of("lr", 0.01)).build();
    RunResult result;
    try (Run run = Runbus.init(settings)) {
      run.defineMetric(MetricDefinition.of("val/acc").summary("max").goal("maximize"));
      double lr = 0.01;
      for (int step = 0; step < 1000; step++) {
        double loss = Math.exp(-step / 200.0);
        run.log(Map.of("loss", loss, "lr", lr), step);
        if (step % 100 == 0) {
          double acc = 1 - loss / 2;
          run.log(Map.of("val/acc", acc), step);
        }
      }
      run.summary().set("test/acc", 0.97);
      result = run.finish();
    }
    // the picocli classes of runbus's command line are not on a library user's classpath
    try {
      Class.forName("picocli.CommandLine");
      throw new IllegalStateException("picocli reached a library user's classpath");
    } catch (ClassNotFoundException expected) {
      // as intended
    }
    if (result.historyRows() != 1000) {
      throw new IllegalStateException("expected 1000 history rows, got " + result.historyRows());
    }
  }
}
