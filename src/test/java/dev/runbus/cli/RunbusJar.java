package dev.runbus.cli;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.runbus.testing.PackagedJar;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Runs the packaged runbus.jar as a user does, {@code java -jar runbus.jar ...}, in a child JVM.
 * The build names the jar in the system property {@code runbus.jar}; the child gets this machine's
 * environment without W&B's variables, so a developer's WANDB_MODE cannot change what is tested.
 */
final class RunbusJar {

  private static final long TIMEOUT_SECONDS = 90;

  private final Path workDir;
  private final Map<String, String> environment = new HashMap<>();
  private final List<String> jvmOptions = new ArrayList<>();

  private RunbusJar(Path workDir) {
    this.workDir = workDir;
    System.getenv()
        .forEach(
            (name, value) -> {
              if (!name.startsWith("WANDB_")) {
                environment.put(name, value);
              }
            });
  }

  /** A run of the jar in {@code workDir}, where it writes its own files (stdout and stderr too). */
  static RunbusJar in(Path workDir) {
    return new RunbusJar(workDir);
  }

  RunbusJar env(String name, String value) {
    environment.put(name, value);
    return this;
  }

  RunbusJar withoutEnv(String... names) {
    for (String name : names) {
      environment.remove(name);
    }
    return this;
  }

  RunbusJar jvm(String option) {
    jvmOptions.add(option);
    return this;
  }

  record Result(int code, byte[] out, byte[] err) {
    String stdout() {
      return new String(out, StandardCharsets.UTF_8);
    }

    String stderr() {
      return new String(err, StandardCharsets.UTF_8);
    }

    @Override
    public String toString() {
      return "exit " + code + "\n--- stdout\n" + stdout() + "--- stderr\n" + stderr();
    }
  }

  Result run(String... args) throws IOException, InterruptedException {
    List<String> command = PackagedJar.command(jvmOptions, List.of(args));
    Path out = Files.createTempFile(workDir, "stdout-", ".txt");
    Path err = Files.createTempFile(workDir, "stderr-", ".txt");
    ProcessBuilder builder =
        new ProcessBuilder(command)
            .directory(workDir.toFile())
            .redirectInput(ProcessBuilder.Redirect.from(nullDevice()))
            .redirectOutput(out.toFile())
            .redirectError(err.toFile());
    builder.environment().clear();
    builder.environment().putAll(environment);
    Process process = builder.start();
    try {
      assertTrue(
          process.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS),
          "runbus.jar " + String.join(" ", args) + " did not exit in " + TIMEOUT_SECONDS + " s");
    } finally {
      process.destroyForcibly();
    }
    return new Result(process.exitValue(), Files.readAllBytes(out), Files.readAllBytes(err));
  }

  private static java.io.File nullDevice() {
    return new java.io.File(
        System.getProperty("os.name").startsWith("Windows") ? "NUL" : "/dev/null");
  }
}
