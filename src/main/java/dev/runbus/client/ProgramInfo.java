package dev.runbus.client;

import dev.runbus.writer.RunMetadata;
import java.util.ArrayList;
import java.util.List;

/** How this JVM was started, for the run's metadata. */
final class ProgramInfo {

  private ProgramInfo() {}

  /** The main class or jar, as the launcher saw it. */
  static String program() {
    String command = System.getProperty("sun.java.command", "");
    int space = command.indexOf(' ');
    return space < 0 ? command : command.substring(0, space);
  }

  static List<String> args() {
    List<String> parts = new ArrayList<>();
    for (String part : System.getProperty("sun.java.command", "").split(" ")) {
      if (!part.isEmpty()) {
        parts.add(part);
      }
    }
    return parts.size() <= 1 ? List.of() : List.copyOf(parts.subList(1, parts.size()));
  }

  static String host() {
    return RunMetadata.hostName();
  }
}
