package dev.runbus;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A program using runbus as a library, in a JVM without a locale (a container, a CI job: Java then
 * encodes System.err in ASCII), still shows the report's sparklines and a non-ASCII project name.
 */
class ReportEncodingTest {

  @TempDir Path dir;

  /** Logs a falling metric and finishes, printing the report. */
  public static final class Child {
    public static void main(String[] args) {
      Settings settings =
          Settings.builder().project("über").dir(Path.of(args[0])).environment(Map.of()).build();
      try (Run run = Runbus.init(settings)) {
        for (int i = 0; i < 50; i++) {
          run.log(Map.of("loss", 1.0 / (i + 1)));
        }
      }
    }
  }

  @Test
  void theReportIsUtf8WithoutALocale() throws Exception {
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.addAll(List.of("-cp", System.getProperty("java.class.path")));
    command.addAll(List.of(Child.class.getName(), dir.toString()));
    ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
    builder.environment().keySet().removeIf(k -> k.equals("LANG") || k.startsWith("LC_"));
    Process child = builder.start();
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    child.getInputStream().transferTo(out);
    assertTrue(child.waitFor(60, TimeUnit.SECONDS), "the child finished");
    String text = out.toString(StandardCharsets.UTF_8);
    assertTrue(text.contains("loss █"), "the sparkline's first glyph, in UTF-8: " + text);
    assertTrue(text.contains("in project über"), "the start line, in UTF-8: " + text);
  }
}
