package dev.runbus.server.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@code java -jar runbus.jar server} in a child JVM, as a user starts it: the packaged jar the
 * build names in {@code runbus.jar}, a data directory of the test's, a free loopback port. Output
 * goes to files in the data directory, read for the ready line and kept for a failure's message.
 */
final class ServerProcess implements AutoCloseable {
  private static final Pattern READY = Pattern.compile("listening on (http://\\S+)");
  private static final Pattern KEY = Pattern.compile("WANDB_API_KEY=([A-Za-z0-9]+)");
  private static final long START_SECONDS = 60;

  private final Process process;
  private final Path output;
  private final String url;

  private ServerProcess(Process process, Path output, String url) {
    this.process = process;
    this.output = output;
    this.url = url;
  }

  /** Creates a key for {@code user} with {@code server key create}; returns the key. */
  static String createKey(Path data, String db, String user) throws Exception {
    List<String> command = command(List.of("server", "key", "create", user), data, db);
    Process key = new ProcessBuilder(command).redirectErrorStream(true).start();
    String text = new String(key.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertTrue(key.waitFor(START_SECONDS, TimeUnit.SECONDS), "key create hung");
    assertEquals(0, key.exitValue(), text);
    Matcher m = KEY.matcher(text);
    assertTrue(m.find(), "no key in: " + text);
    return m.group(1);
  }

  /** Starts the server and waits for its ready line. */
  static ServerProcess start(Path data, String db) throws Exception {
    Files.createDirectories(data);
    Path output = Files.createTempFile(data.getParent(), "server-", ".out");
    List<String> command = command(List.of("server", "--port", "0"), data, db);
    Process process =
        new ProcessBuilder(command)
            .redirectErrorStream(true)
            .redirectOutput(output.toFile())
            .start();
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(START_SECONDS);
    while (System.nanoTime() < deadline) {
      String text = Files.readString(output, StandardCharsets.UTF_8);
      Matcher ready = READY.matcher(text);
      if (ready.find()) {
        return new ServerProcess(process, output, ready.group(1));
      }
      if (!process.isAlive()) {
        throw new AssertionError("the server exited " + process.exitValue() + ":\n" + text);
      }
      TimeUnit.MILLISECONDS.sleep(50);
    }
    process.destroyForcibly();
    throw new AssertionError("no ready line in " + START_SECONDS + " s:\n" + Files.readString(output));
  }

  String url() {
    return url;
  }

  int port() {
    return Integer.parseInt(url.substring(url.lastIndexOf(':') + 1).replaceAll("/.*", ""));
  }

  long pid() {
    return process.pid();
  }

  /** SIGKILL: the crash a server must survive without losing what it acknowledged. */
  void kill() throws InterruptedException {
    process.destroyForcibly();
    assertTrue(process.waitFor(30, TimeUnit.SECONDS), "SIGKILL did not end the server");
  }

  /** SIGTERM, then the exit code once it has stopped. */
  int terminate() throws InterruptedException {
    process.destroy();
    assertTrue(process.waitFor(60, TimeUnit.SECONDS), "SIGTERM did not stop the server");
    return process.exitValue();
  }

  String output() throws IOException {
    return Files.readString(output, StandardCharsets.UTF_8);
  }

  @Override
  public void close() throws InterruptedException {
    if (process.isAlive()) {
      process.destroyForcibly();
      process.waitFor(30, TimeUnit.SECONDS);
    }
  }

  private static List<String> command(List<String> arguments, Path data, String db) {
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.add("-Xmx256m");
    command.add("-jar");
    command.add(jar().toString());
    command.addAll(arguments);
    command.add("--data");
    command.add(data.toString());
    if (db != null) {
      command.add("--db");
      command.add(db);
    }
    return command;
  }

  static Path jar() {
    Path jar = Path.of(System.getProperty("runbus.jar", "target/runbus.jar")).toAbsolutePath();
    assertTrue(Files.isRegularFile(jar), "no packaged jar at " + jar + ": run mvn verify");
    return jar;
  }
}
