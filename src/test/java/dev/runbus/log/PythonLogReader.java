package dev.runbus.log;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Runs the independent Python reader ({@code src/test/python/wandb_log_reader.py}) as a child
 * process. A missing {@code python3} fails the calling test: the cross-check must not vanish
 * silently on a machine without it.
 */
public final class PythonLogReader {

  public static final int OK = 0;
  public static final int CORRUPT = 1;
  public static final int TORN = 3;

  private static final Path SCRIPT =
      Path.of("src/test/python/wandb_log_reader.py").toAbsolutePath();
  private static final long TIMEOUT_SECONDS = 120;

  /** What the script printed with {@code --json}, and its exit status. */
  public record Result(int exitCode, List<String> lines, String stderr) {}

  private PythonLogReader() {}

  public static Result run(Path log) throws IOException, InterruptedException {
    assertTrue(
        Files.isRegularFile(SCRIPT),
        "independent reader not found at "
            + SCRIPT
            + " (tests must run from the project directory)");
    Path out = Files.createTempFile(log.getParent(), "reader", ".out");
    Path err = Files.createTempFile(log.getParent(), "reader", ".err");
    ProcessBuilder builder =
        new ProcessBuilder("python3", SCRIPT.toString(), log.toString(), "--json")
            .redirectOutput(out.toFile())
            .redirectError(err.toFile());
    builder.environment().put("PYTHONIOENCODING", "utf-8");
    Process process;
    try {
      process = builder.start();
    } catch (IOException e) {
      return fail(
          "python3 is needed to cross-check the .wandb log with the independent reader,"
              + " but it could not be started (is python3 on PATH?): "
              + e.getMessage(),
          e);
    }
    process.getOutputStream().close();
    if (!process.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
      process.destroyForcibly();
      return fail("wandb_log_reader.py did not finish within " + TIMEOUT_SECONDS + " s on " + log);
    }
    return new Result(
        process.exitValue(),
        Files.readAllLines(out, StandardCharsets.UTF_8),
        Files.readString(err, StandardCharsets.UTF_8));
  }
}
