package dev.runbus.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@code java -jar runbus.jar server ...} in a child JVM, as a user starts it, running until it is
 * stopped. Its stdout is read line by line (the ready line gives the URL), its stderr goes to a
 * file; both are kept for a failure's message. The child gets this machine's environment without
 * W&B's and runbus's variables, so a developer's settings cannot change what is tested, and the
 * heap the server must stay within.
 */
public final class ServerProcess implements AutoCloseable {
  private static final Pattern READY =
      Pattern.compile("^runbus server listening on (http://\\S+) \\((.*)\\)$");
  private static final Pattern KEY = Pattern.compile("WANDB_API_KEY=([A-Za-z0-9]+)");
  private static final List<String> JVM = List.of("-Xmx256m");
  private static final long WAIT_SECONDS = 60;

  private final Process process;
  private final List<String> lines = new CopyOnWriteArrayList<>();
  private final Path stderr;
  private final Thread reader;
  private volatile String url;

  private ServerProcess(Process process, Path stderr) {
    this.process = process;
    this.stderr = stderr;
    this.reader = new Thread(this::read, "server-process-stdout");
    reader.setDaemon(true);
    reader.start();
  }

  /** {@code server --port 0 --data <data> [--db <db>]}, beside its data directory. */
  public static ServerProcess start(Path data, String db) throws IOException, InterruptedException {
    Files.createDirectories(data);
    List<String> args = new ArrayList<>(List.of("--port", "0"));
    args.addAll(storeArgs(data, db));
    return start(data.getParent(), Map.of(), args.toArray(String[]::new));
  }

  /** {@code server <args>} in {@code workDir}; waits (at most a minute) for its ready line. */
  public static ServerProcess start(Path workDir, Map<String, String> env, String... args)
      throws IOException, InterruptedException {
    List<String> arguments = new ArrayList<>(List.of("server"));
    arguments.addAll(List.of(args));
    Path err = Files.createTempFile(workDir, "server-stderr-", ".txt");
    ProcessBuilder builder =
        new ProcessBuilder(PackagedJar.command(JVM, arguments))
            .directory(workDir.toFile())
            .redirectError(err.toFile())
            .redirectInput(ProcessBuilder.Redirect.PIPE);
    builder.environment().keySet().removeIf(n -> n.startsWith("WANDB_") || n.startsWith("RUNBUS_"));
    builder.environment().putAll(env);
    ServerProcess server = new ServerProcess(builder.start(), err);
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(WAIT_SECONDS);
    while (server.url == null && server.process.isAlive() && System.nanoTime() < deadline) {
      Thread.sleep(20);
    }
    if (server.url == null) {
      server.process.destroyForcibly();
      throw new AssertionError("no ready line from the server:\n" + server.output());
    }
    return server;
  }

  /** Creates a key for {@code user} with {@code server key create}; returns the key. */
  public static String createKey(Path data, String db, String user) throws Exception {
    List<String> args = new ArrayList<>(List.of("server", "key", "create", user));
    args.addAll(storeArgs(data, db));
    Process key = new ProcessBuilder(PackagedJar.command(JVM, args)).redirectErrorStream(true).start();
    String text = new String(key.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertTrue(key.waitFor(WAIT_SECONDS, TimeUnit.SECONDS), "key create hung");
    assertEquals(0, key.exitValue(), text);
    Matcher m = KEY.matcher(text);
    assertTrue(m.find(), "no key in: " + text);
    return m.group(1);
  }

  private static List<String> storeArgs(Path data, String db) {
    List<String> args = new ArrayList<>(List.of("--data", data.toString()));
    if (db != null) {
      args.add("--db");
      args.add(db);
    }
    return args;
  }

  private void read() {
    try (BufferedReader out =
        new BufferedReader(
            new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
      String line;
      while ((line = out.readLine()) != null) {
        lines.add(line);
        Matcher ready = READY.matcher(line);
        if (ready.matches()) {
          url = ready.group(1);
        }
      }
    } catch (IOException gone) {
      // the process ended
    }
  }

  public String url() {
    return url;
  }

  /** Its stdout so far, line by line. */
  public List<String> lines() {
    return List.copyOf(lines);
  }

  /** SIGKILL: the crash a server must survive without losing what it acknowledged. */
  public void kill() throws InterruptedException {
    process.destroyForcibly();
    assertTrue(process.waitFor(30, TimeUnit.SECONDS), "SIGKILL did not end the server");
  }

  /** SIGTERM, then the exit code (at most a minute's wait) once all its output is read. */
  public int terminate() throws InterruptedException {
    // through the handle: Process.destroy() also closes our end of its stdout, losing the last lines
    process.toHandle().destroy();
    if (!process.waitFor(WAIT_SECONDS, TimeUnit.SECONDS)) {
      process.destroyForcibly();
      throw new AssertionError("the server did not stop within a minute of SIGTERM:\n" + output());
    }
    reader.join(10_000);
    return process.exitValue();
  }

  public String output() {
    String err;
    try {
      err = Files.readString(stderr);
    } catch (IOException e) {
      err = "(unreadable)";
    }
    return "--- stdout\n" + String.join("\n", lines) + "\n--- stderr\n" + err;
  }

  @Override
  public void close() throws InterruptedException {
    if (process.isAlive()) {
      process.destroyForcibly();
      process.waitFor(30, TimeUnit.SECONDS);
    }
  }
}
