package dev.runbus;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** Starts a real child JVM on this test's classpath, for tests about processes that die or exit. */
final class ChildJvm {

  private ChildJvm() {}

  static Process start(Class<?> main, String... args) throws IOException {
    return start(List.of(), main, args);
  }

  /** As {@link #start(Class, String...)}, with JVM options such as {@code -Xmx256m}. */
  static Process start(List<String> jvmOptions, Class<?> main, String... args) throws IOException {
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.addAll(jvmOptions);
    command.add("-cp");
    command.add(System.getProperty("java.class.path"));
    command.add(main.getName());
    command.addAll(List.of(args));
    return new ProcessBuilder(command).redirectErrorStream(true).start();
  }
}
