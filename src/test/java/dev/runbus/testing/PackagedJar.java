package dev.runbus.testing;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** The packaged runbus.jar, which the build names in the system property {@code runbus.jar}. */
public final class PackagedJar {
  private PackagedJar() {}

  public static Path path() {
    Path jar = Path.of(System.getProperty("runbus.jar", "target/runbus.jar")).toAbsolutePath();
    assertTrue(Files.isRegularFile(jar), "no packaged jar at " + jar + ": run mvn verify");
    return jar;
  }

  /** {@code java <jvmOptions> -jar runbus.jar <args>} with this JVM's java. */
  public static List<String> command(List<String> jvmOptions, List<String> args) {
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.addAll(jvmOptions);
    command.add("-jar");
    command.add(path().toString());
    command.addAll(args);
    return command;
  }
}
