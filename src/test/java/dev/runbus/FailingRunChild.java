package dev.runbus;

import io.vertx.core.Vertx;
import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * A quiet run that its pipeline fails under: its directory is deleted while it is open
 * ({@code deleted}), or the Vert.x instance it runs in is closed ({@code closed}). Prints the log's
 * path and then what {@code finish()} threw, on stdout; everything runbus prints goes to stderr.
 * With {@code unfinished}, it returns from main instead and the JVM's exit finishes the run.
 */
public final class FailingRunChild {

  public static void main(String[] args) throws Exception {
    Settings settings =
        Settings.builder()
            .dir(Path.of(args[0]))
            .runId("failing")
            .quiet(true)
            .environment(Map.of())
            .build();
    Vertx host = args[1].equals("closed") ? Vertx.vertx() : null;
    Run run = host != null ? Runbus.init(host, settings) : Runbus.init(settings);
    run.log(Map.of("loss", 1.0));
    run.summary().asMap(); // the stream is open and the log exists by now
    if (host != null) {
      host.close().await(10, TimeUnit.SECONDS);
    } else {
      try (Stream<Path> files = Files.walk(run.dir())) {
        files.sorted(Comparator.reverseOrder()).map(Path::toFile).forEach(File::delete);
      }
      run.log(Map.of("loss", 0.5));
    }
    System.out.println("LOG " + run.logFile());
    System.out.flush();
    if (args.length > 2 && args[2].equals("unfinished")) {
      return; // the JVM's exit finishes the run
    }
    try {
      run.finish();
      System.out.println("FINISHED");
    } catch (RunbusException e) {
      System.out.println("THROWN " + e.getMessage());
    }
    System.out.flush();
  }
}
