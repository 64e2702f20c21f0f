package dev.runbus;

import java.nio.file.Path;
import java.util.Map;

/** A short offline run started in whatever directory the test started this JVM in. */
public final class MetadataChild {

  public static void main(String[] args) {
    Run run =
        Runbus.init(
            Settings.builder()
                .dir(Path.of(args[0]))
                .runId(args[1])
                .quiet(true)
                .environment(System.getenv()) // the test strips W&B's variables but those it sets
                .build());
    run.log(Map.of("loss", 0.5));
    run.finish();
    System.out.println("DIR " + run.dir());
  }
}
