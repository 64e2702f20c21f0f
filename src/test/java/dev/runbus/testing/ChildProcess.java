package dev.runbus.testing;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

/**
 * A child JVM a test talks to: a main class on this test's classpath, or a command of the packaged
 * jar. Its stdout and stderr are read line by line as they come (kept for assertions and a
 * failure's message), lines can be written to its stdin, and every wait is bounded. The child gets
 * this machine's environment without W&B's and runbus's variables, so a developer's settings
 * cannot change what is tested.
 */
public final class ChildProcess implements AutoCloseable {
  private final Process process;
  private final long startNanos = System.nanoTime();
  private final List<String> out = new CopyOnWriteArrayList<>();
  private final List<String> err = new CopyOnWriteArrayList<>();
  // both streams, each line with the seconds since the start: when things happened, for failures
  private final List<String> timed = new CopyOnWriteArrayList<>();
  private final Thread outReader;
  private final Thread errReader;
  private final Writer stdin;
  private int cursor; // stdout lines before it were returned by await or passed over

  private ChildProcess(Process process) {
    this.process = process;
    this.outReader = reader(process.getInputStream(), out, "out", "child-stdout");
    this.errReader = reader(process.getErrorStream(), err, "err", "child-stderr");
    this.stdin = new OutputStreamWriter(process.getOutputStream(), StandardCharsets.UTF_8);
  }

  /** {@code java <jvmOptions> -cp <this classpath> main args…}. */
  public static ChildProcess java(List<String> jvmOptions, Class<?> main, String... args)
      throws IOException {
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.addAll(jvmOptions);
    command.add("-cp");
    command.add(System.getProperty("java.class.path"));
    command.add(main.getName());
    command.addAll(List.of(args));
    return start(command, Map.of());
  }

  /** {@link #java(List, Class, String...)} with {@code env} added to the child's environment. */
  public static ChildProcess java(
      Map<String, String> env, List<String> jvmOptions, Class<?> main, String... args)
      throws IOException {
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.addAll(jvmOptions);
    command.add("-cp");
    command.add(System.getProperty("java.class.path"));
    command.add(main.getName());
    command.addAll(List.of(args));
    return start(command, env);
  }

  /** {@code java -jar runbus.jar args…}, as a user runs it. */
  public static ChildProcess jar(Map<String, String> env, String... args) throws IOException {
    return start(PackagedJar.command(List.of("-Xmx256m"), List.of(args)), env);
  }

  /** {@code command} run in {@code workDir} (its relative paths, {@code conf/…}, resolve there). */
  public static ChildProcess in(Path workDir, List<String> command, Map<String, String> env)
      throws IOException {
    ProcessBuilder builder = new ProcessBuilder(command).directory(workDir.toFile());
    builder.environment().keySet().removeIf(n -> n.startsWith("WANDB_") || n.startsWith("RUNBUS_"));
    builder.environment().putAll(env);
    return new ChildProcess(builder.start());
  }

  private static ChildProcess start(List<String> command, Map<String, String> env)
      throws IOException {
    ProcessBuilder builder = new ProcessBuilder(command);
    builder.environment().keySet().removeIf(n -> n.startsWith("WANDB_") || n.startsWith("RUNBUS_"));
    builder.environment().putAll(env);
    return new ChildProcess(builder.start());
  }

  private Thread reader(InputStream stream, List<String> lines, String tag, String name) {
    Thread thread =
        new Thread(
            () -> {
              try (BufferedReader in =
                  new BufferedReader(new InputStreamReader(stream, StandardCharsets.UTF_8))) {
                String line;
                while ((line = in.readLine()) != null) {
                  lines.add(line);
                  timed.add(
                      String.format(
                          "%7.3f %s %s", (System.nanoTime() - startNanos) / 1e9, tag, line));
                }
              } catch (IOException gone) {
                // the process ended
              }
            },
            name);
    thread.setDaemon(true);
    thread.start();
    return thread;
  }

  /** Writes one line to the child's stdin. */
  public void send(String line) throws IOException {
    stdin.write(line + "\n");
    stdin.flush();
  }

  /**
   * The rest of the next stdout line that starts with {@code prefix} (after the line the last
   * await returned), waiting at most {@code timeout} for it; fails with the child's output when it
   * does not come or the child ended.
   */
  public synchronized String await(String prefix, Duration timeout) throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (true) {
      boolean ended = !process.isAlive();
      if (ended) {
        outReader.join(5_000);
      }
      for (int i = cursor; i < out.size(); i++) {
        if (out.get(i).startsWith(prefix)) {
          cursor = i + 1;
          return out.get(i).substring(prefix.length());
        }
      }
      if (ended) {
        throw new AssertionError(
            "the child ended (" + process.exitValue() + ") without \"" + prefix + "\":\n" + output());
      }
      if (System.nanoTime() > deadline) {
        throw new AssertionError(
            "no \"" + prefix + "\" from the child within " + timeout + ":\n" + output());
      }
      Thread.sleep(20);
    }
  }

  /** The exit code, waiting at most {@code timeout}, once all its output is read. */
  public int exitCode(Duration timeout) throws InterruptedException {
    if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
      process.destroyForcibly();
      throw new AssertionError("the child did not end within " + timeout + ":\n" + output());
    }
    outReader.join(10_000);
    errReader.join(10_000);
    return process.exitValue();
  }

  /**
   * SIGTERM (the JVM runs its shutdown hooks), then the exit code, waiting at most {@code
   * timeout}. Through the handle: Process.destroy() would also close our end of its stdout.
   */
  public int terminate(Duration timeout) throws InterruptedException {
    process.toHandle().destroy();
    return exitCode(timeout);
  }

  /** SIGKILL: no shutdown hook, no finish, no flush. */
  public void kill() throws InterruptedException {
    process.destroyForcibly();
    assertTrue(process.waitFor(30, TimeUnit.SECONDS), "SIGKILL did not end the child");
  }

  public List<String> stdout() {
    return List.copyOf(out);
  }

  public List<String> stderr() {
    return List.copyOf(err);
  }

  /** stdout and stderr as they came, each line with the seconds since the child started. */
  public String output() {
    return "--- the child's output (seconds since start, stream, line)\n" + String.join("\n", timed);
  }

  @Override
  public void close() {
    if (process.isAlive()) {
      process.destroyForcibly();
      try {
        process.waitFor(30, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }
}
