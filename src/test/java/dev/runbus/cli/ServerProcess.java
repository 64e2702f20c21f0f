package dev.runbus.cli;

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
 * {@code java -jar runbus.jar server ...} in a child JVM, running until it is stopped: its stdout
 * is read line by line (the ready line gives the URL), its stderr goes to a file.
 */
final class ServerProcess implements AutoCloseable {

  private static final Pattern READY =
      Pattern.compile("^runbus server listening on (http://\\S+) \\((.*)\\)$");

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

  /** Starts the server in {@code workDir} and waits (at most a minute) for its ready line. */
  static ServerProcess start(Path workDir, Map<String, String> env, String... args)
      throws IOException, InterruptedException {
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.add("-jar");
    command.add(RunbusJar.jar().toString());
    command.add("server");
    command.addAll(List.of(args));
    Path err = Files.createTempFile(workDir, "server-stderr-", ".txt");
    ProcessBuilder builder =
        new ProcessBuilder(command)
            .directory(workDir.toFile())
            .redirectError(err.toFile())
            .redirectInput(ProcessBuilder.Redirect.PIPE);
    builder.environment().keySet().removeIf(n -> n.startsWith("WANDB_") || n.startsWith("RUNBUS_"));
    builder.environment().putAll(env);
    ServerProcess server = new ServerProcess(builder.start(), err);
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
    while (server.url == null && server.process.isAlive() && System.nanoTime() < deadline) {
      Thread.sleep(20);
    }
    if (server.url == null) {
      server.process.destroyForcibly();
      throw new AssertionError("no ready line from the server:\n" + server.output());
    }
    return server;
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

  String url() {
    return url;
  }

  List<String> lines() {
    return List.copyOf(lines);
  }

  long pid() {
    return process.pid();
  }

  /** SIGTERM, then the exit code (at most a minute's wait) once all its output is read. */
  int terminate() throws InterruptedException {
    // through the handle: Process.destroy() also closes our end of its stdout, losing the last lines
    process.toHandle().destroy();
    if (!process.waitFor(60, TimeUnit.SECONDS)) {
      process.destroyForcibly();
      throw new AssertionError("the server did not stop within a minute of SIGTERM:\n" + output());
    }
    reader.join(10_000);
    return process.exitValue();
  }

  String output() {
    String err;
    try {
      err = Files.readString(stderr);
    } catch (IOException e) {
      err = "(unreadable)";
    }
    return "--- stdout\n" + String.join("\n", lines) + "\n--- stderr\n" + err;
  }

  @Override
  public void close() {
    process.destroyForcibly();
  }
}
