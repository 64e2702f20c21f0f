package dev.runbus.server.bench;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A {@code runbus server} in a child JVM, started from this same jar as a user starts it, with a
 * bounded heap and a GC log, so that the benchmark's client and server are separate processes.
 */
public final class BenchServer implements AutoCloseable {
  private static final Pattern URL = Pattern.compile("(http://[^\\s)]+)");
  private static final Pattern KEY = Pattern.compile("\\b([A-Za-z0-9]{40})\\b");

  private final Process process;
  private final String url;
  private final String apiKey;
  private final Path gcLog;

  private BenchServer(Process process, String url, String apiKey, Path gcLog) {
    this.process = process;
    this.url = url;
    this.apiKey = apiKey;
    this.gcLog = gcLog;
  }

  /**
   * Creates a key in a fresh data directory, then starts the server on a free loopback port.
   *
   * @param db null for SQLite in {@code data}, else a JDBC URL
   */
  public static BenchServer start(Path data, String db, String maxHeap) throws IOException {
    Path jar = thisJar();
    List<String> dbOption = db == null ? List.of() : List.of("--db", db);
    List<String> keyCommand = new ArrayList<>(List.of(java(), "-jar", jar.toString()));
    keyCommand.addAll(List.of("server", "key", "create", "bench", "--data", data.toString()));
    keyCommand.addAll(dbOption);
    String keyOutput = runToEnd(keyCommand);
    Matcher key = KEY.matcher(keyOutput);
    if (!key.find()) {
      throw new IllegalStateException("`server key create` printed no key:\n" + keyOutput);
    }

    Path gcLog = data.resolve("gc.log");
    List<String> command = new ArrayList<>(List.of(java(), "-Xmx" + maxHeap));
    command.add("-Xlog:gc:file=" + gcLog);
    command.addAll(List.of("-jar", jar.toString(), "server", "--port", "0"));
    command.addAll(List.of("--data", data.toString()));
    command.addAll(dbOption);
    Process process =
        new ProcessBuilder(command)
            .redirectErrorStream(true)
            .redirectInput(ProcessBuilder.Redirect.PIPE)
            .start();
    BufferedReader out =
        new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
    StringBuilder seen = new StringBuilder();
    String line;
    while ((line = out.readLine()) != null) {
      seen.append(line).append('\n');
      Matcher url = URL.matcher(line);
      if (line.contains("listening") && url.find()) {
        drain(out);
        return new BenchServer(process, url.group(1), key.group(1), gcLog);
      }
    }
    throw new IllegalStateException("the server ended before its ready line:\n" + seen);
  }

  public String url() {
    return url;
  }

  public String apiKey() {
    return apiKey;
  }

  public GcLog.Heap heap() {
    return GcLog.read(gcLog);
  }

  @Override
  public void close() throws InterruptedException {
    process.destroy();
    if (!process.waitFor(30, TimeUnit.SECONDS)) {
      process.destroyForcibly().waitFor();
    }
  }

  private static void drain(BufferedReader out) {
    Thread drainer =
        new Thread(
            () -> {
              try {
                while (out.readLine() != null) {
                  // the server's later output is not the benchmark's
                }
              } catch (IOException ignored) {
                // the server is gone
              }
            },
            "bench-server-output");
    drainer.setDaemon(true);
    drainer.start();
  }

  private static String runToEnd(List<String> command) throws IOException {
    Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
    byte[] output = process.getInputStream().readAllBytes();
    try {
      int code = process.waitFor();
      String text = new String(output, StandardCharsets.UTF_8);
      if (code != 0) {
        throw new IllegalStateException(String.join(" ", command) + " failed:\n" + text);
      }
      return text;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted", e);
    }
  }

  private static String java() {
    return Path.of(System.getProperty("java.home"), "bin", "java").toString();
  }

  private static Path thisJar() {
    try {
      Path jar =
          Path.of(BenchServer.class.getProtectionDomain().getCodeSource().getLocation().toURI());
      if (!Files.isRegularFile(jar)) {
        throw new IllegalStateException("server bench runs from runbus.jar, not from " + jar);
      }
      return jar;
    } catch (java.net.URISyntaxException e) {
      throw new UncheckedIOException(new IOException(e));
    }
  }
}
