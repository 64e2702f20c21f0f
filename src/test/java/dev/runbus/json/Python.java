package dev.runbus.json;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/** Runs {@code python3} as a child process, for cross-checks against Python's json and PyYAML. */
final class Python {

  private Python() {}

  /** Whether {@code python3} exists and can import {@code module}. */
  static boolean canImport(String module) {
    try {
      Process p =
          new ProcessBuilder("python3", "-c", "import " + module)
              .redirectErrorStream(true)
              .redirectOutput(ProcessBuilder.Redirect.DISCARD)
              .start();
      return p.waitFor(60, TimeUnit.SECONDS) && p.exitValue() == 0;
    } catch (IOException e) {
      return false;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }

  /** Runs {@code script} with {@code args}; returns its stdout, or fails with its stderr. */
  static String run(String script, String... args) throws Exception {
    List<String> command = new ArrayList<>(List.of("python3", "-c", script));
    command.addAll(List.of(args));
    Process p = new ProcessBuilder(command).start();
    p.getOutputStream().close();
    CompletableFuture<byte[]> err =
        CompletableFuture.supplyAsync(() -> readAll(p.getErrorStream()));
    byte[] out = p.getInputStream().readAllBytes();
    if (!p.waitFor(120, TimeUnit.SECONDS)) {
      p.destroyForcibly();
      throw new AssertionError("python3 did not finish in 120 s");
    }
    if (p.exitValue() != 0) {
      throw new AssertionError(
          "python3 exited with "
              + p.exitValue()
              + ":\n"
              + new String(err.get(), StandardCharsets.UTF_8));
    }
    return new String(out, StandardCharsets.UTF_8);
  }

  private static byte[] readAll(java.io.InputStream in) {
    try {
      return in.readAllBytes();
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }
}
