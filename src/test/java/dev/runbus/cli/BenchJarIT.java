package dev.runbus.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code java -jar runbus.jar bench --json}: every figure present, and each one plausible. */
class BenchJarIT {

  private static final int ROWS = 2000;
  private static final int HEAP_LIMIT_MIB = 64;

  @TempDir Path dir;

  @Test
  void benchReportsPlausibleFigures() throws Exception {
    RunbusJar.Result bench =
        RunbusJar.in(dir)
            .jvm("-Xmx" + HEAP_LIMIT_MIB + "m")
            .run("bench", "--rows", Integer.toString(ROWS), "--json", "--dir", "out");
    assertEquals(0, bench.code(), bench.toString());
    JsonNode figures = RecordJson.MAPPER.readTree(bench.stdout().trim());
    String all = figures.toString();

    assertEquals(ROWS, figures.get("rows").asLong(), all);
    assertEquals(10, figures.get("metrics").asInt(), all);
    assertEquals(ROWS, figures.get("history_rows").asLong(), all);
    assertTrue(figures.get("log_rows_per_s").asLong() > 0, all);
    assertTrue(figures.get("total_rows_per_s").asLong() > 0, all);
    assertTrue(
        figures.get("total_rows_per_s").asLong() <= figures.get("log_rows_per_s").asLong(), all);
    assertTrue(figures.get("init_ms").asDouble() > 0, all);
    assertTrue(figures.get("finish_ms").asDouble() > 0, all);
    assertTrue(figures.get("cpu_ms").asDouble() > 0, all);

    // latency percentiles from the histogram: ordered, and above zero (a log() call takes time)
    double p50 = figures.get("log_p50_us").asDouble();
    double p99 = figures.get("log_p99_us").asDouble();
    double max = figures.get("log_max_us").asDouble();
    assertTrue(0 < p50 && p50 <= p99 && p99 <= max, all);

    // memory: the live heap is above what the kernel alone keeps, the peak is not below it, and
    // both are within the limit the JVM was given
    double limit = figures.get("heap_max_mb").asDouble();
    double peak = figures.get("heap_live_peak_mb").asDouble();
    double end = figures.get("heap_live_end_mb").asDouble();
    assertTrue(limit > HEAP_LIMIT_MIB / 2 && limit <= HEAP_LIMIT_MIB, all);
    assertTrue(end >= 1 && end <= peak && peak < limit, all);
    assertTrue(figures.get("gc_count").asLong() >= 0, all);

    Path log = Path.of(figures.get("wandb_file").asText());
    assertTrue(log.startsWith(dir.resolve("out")), all);
    assertEquals(Files.size(log), figures.get("wandb_bytes").asLong(), all);
    assertEquals(0, RunbusJar.in(dir).run("inspect", log.toString()).code());
  }
}
