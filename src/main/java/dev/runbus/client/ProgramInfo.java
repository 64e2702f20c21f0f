package dev.runbus.client;

import java.util.Arrays;
import java.util.List;

/** How this JVM was started, for the run's metadata. */
final class ProgramInfo {

  private ProgramInfo() {
  }

  /** The main class or jar, as the launcher saw it. */
  static String program() {
    String command = System.getProperty("sun.java.command", "");
    int space = command.indexOf(' ');
    return space < 0 ? command : command.substring(0, space);
  }

  static List<String> args() {
    String command = System.getProperty("sun.java.command", "");
    String[] parts = command.trim().split("\\s+");
    return parts.length <= 1 ? List.of() : List.copyOf(Arrays.asList(parts).subList(1, parts.length));
  }

  static String host() {
    String env = System.getenv("HOSTNAME");
    if (env != null && !env.isBlank()) {
      return env;
    }
    try {
      return java.nio.file.Files.readString(java.nio.file.Path.of("/etc/hostname")).trim();
    } catch (java.io.IOException | RuntimeException e) {
      return "";
    }
  }
}
