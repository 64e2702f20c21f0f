package dev.runbus.system;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.logging.Logger;

/**
 * Reads the GPUs through {@code nvidia-smi} when it is on the PATH: no GPU, no binary, no keys and
 * no error. A query that fails or hangs three times in a row turns the GPU readings off for good,
 * so a broken driver costs a few seconds once, not every sample. Blocking: call it off any event
 * loop (the stats thread does).
 */
public final class NvidiaSmi {

  private static final Logger LOG = Logger.getLogger(NvidiaSmi.class.getName());
  private static final long TIMEOUT_SECONDS = 5;
  /** What one query may print: a line per GPU is under 200 bytes. */
  private static final int MAX_OUTPUT_BYTES = 64 * 1024;
  private static final int FAILURES_BEFORE_GIVING_UP = 3;

  private static volatile NvidiaSmi onPath;

  private final Path executable;
  private int failures;
  private volatile List<GpuReading> devices;

  NvidiaSmi(Path executable) {
    this.executable = executable;
  }

  /** The {@code nvidia-smi} on this machine's PATH, or empty when there is none. */
  public static Optional<NvidiaSmi> onPath() {
    NvidiaSmi found = onPath;
    if (found == null) {
      found = find(System.getenv("PATH")).map(NvidiaSmi::new).orElse(new NvidiaSmi(null));
      onPath = found;
    }
    return found.executable == null ? Optional.empty() : Optional.of(found);
  }

  static Optional<Path> find(String path) {
    if (path == null) {
      return Optional.empty();
    }
    boolean windows = System.getProperty("os.name", "").startsWith("Windows");
    for (String dir : path.split(File.pathSeparator)) {
      if (dir.isEmpty()) {
        continue;
      }
      Path candidate = Path.of(dir, windows ? "nvidia-smi.exe" : "nvidia-smi");
      if (Files.isRegularFile(candidate) && Files.isExecutable(candidate)) {
        return Optional.of(candidate);
      }
    }
    return Optional.empty();
  }

  /** Every GPU's reading now; empty once the binary failed too often. */
  public synchronized List<GpuReading> read() {
    if (executable == null || failures >= FAILURES_BEFORE_GIVING_UP) {
      return List.of();
    }
    try {
      List<GpuReading> gpus = NvidiaSmiOutput.parse(query());
      failures = 0;
      devices = gpus;
      return gpus;
    } catch (IOException e) {
      if (++failures == FAILURES_BEFORE_GIVING_UP) {
        LOG.info(
            "no GPU metrics: " + executable + " failed " + failures + " times; last: "
                + e.getMessage());
      }
      return List.of();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return List.of();
    }
  }

  /** The GPUs as first read (names and memory do not change), reading them if nobody has yet. */
  public List<GpuReading> devices() {
    List<GpuReading> known = devices;
    return known != null ? known : read();
  }

  private String query() throws IOException, InterruptedException {
    Process process =
        new ProcessBuilder(
                executable.toString(),
                "--query-gpu=" + NvidiaSmiOutput.QUERY,
                "--format=csv,noheader,nounits")
            .redirectErrorStream(true)
            .redirectInput(ProcessBuilder.Redirect.PIPE)
            .start();
    process.getOutputStream().close();
    byte[] out;
    try (InputStream in = process.getInputStream()) {
      // a line per GPU fits the pipe's buffer many times over, so waiting first cannot block
      // the child, and a hung nvidia-smi cannot hang this thread in a read
      if (!process.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
        throw new IOException("no answer in " + TIMEOUT_SECONDS + " s");
      }
      out = in.readNBytes(MAX_OUTPUT_BYTES);
    } finally {
      process.destroyForcibly();
    }
    if (process.exitValue() != 0) {
      throw new IOException(
          "exit code "
              + process.exitValue()
              + ": "
              + new String(out, StandardCharsets.UTF_8).strip());
    }
    return new String(out, StandardCharsets.UTF_8);
  }
}
