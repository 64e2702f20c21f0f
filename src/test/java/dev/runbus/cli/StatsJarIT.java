package dev.runbus.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.runbus.RunLogs;
import dev.runbus.log.PythonLogReader;
import dev.runbus.proto.Record;
import dev.runbus.proto.StatsItem;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The packaged jar with a run's real defaults: {@code bench} paced to last 20 s samples every 2 s
 * and logs a stats record after 15 s, then the partial one at finish; both have W&B's keys and
 * the JVM's with plausible values, and W&B's reader rules accept the log. {@code --stats off}
 * logs none.
 */
class StatsJarIT {

  @TempDir Path dir;

  @Test
  void aTwentySecondRunWithTheDefaultsHasStatsRecords() throws Exception {
    RunbusJar.Result bench =
        RunbusJar.in(dir)
            .run("bench", "--rows", "2000", "--rate", "100", "--json", "--dir", "out");
    assertEquals(0, bench.code(), bench.toString());
    JsonNode figures = RecordJson.MAPPER.readTree(bench.stdout().trim());
    assertTrue(figures.get("stats").asBoolean(), figures.toString());
    Path log = Path.of(figures.get("wandb_file").asText());

    List<Record> records = RunLogs.records(log);
    List<Map<String, Double>> stats = stats(records);
    assertEquals(2, stats.size(), "one after 15 s, one at finish: " + RunLogs.types(records));
    for (Map<String, Double> s : stats) {
      for (String key :
          List.of(
              "cpu", "memory", "proc.memory.rssMB", "proc.memory.availableMB",
              "proc.memory.percent", "proc.cpu.threads", "disk", "network.sent", "network.recv",
              "cpu.0.cpu_percent", "jvm.heap.usedMB", "jvm.heap.maxMB", "jvm.threads",
              "jvm.classes.loaded", "jvm.alloc.bytesPerSec")) {
        assertTrue(s.containsKey(key), key + " missing from " + s);
      }
      assertTrue(s.get("cpu") >= 0 && s.get("cpu") <= 100, s.toString());
      assertTrue(s.get("jvm.heap.usedMB") <= s.get("jvm.heap.maxMB"), s.toString());
      assertTrue(s.keySet().stream().anyMatch(k -> k.startsWith("jvm.gc.")), s.toString());
    }
    for (String key : stats.get(0).keySet()) {
      if (key.startsWith("jvm.gc.")) {
        assertTrue(stats.get(1).get(key) >= stats.get(0).get(key), key + ": " + stats);
      }
    }
    PythonLogReader.Result read = PythonLogReader.run(log);
    assertEquals(PythonLogReader.OK, read.exitCode(), read.stderr());
  }

  @Test
  void statsOffLogsNone() throws Exception {
    RunbusJar.Result bench =
        RunbusJar.in(dir).run("bench", "--rows", "1000", "--stats", "off", "--json", "--dir", "out");
    assertEquals(0, bench.code(), bench.toString());
    JsonNode figures = RecordJson.MAPPER.readTree(bench.stdout().trim());
    assertFalse(figures.get("stats").asBoolean(), figures.toString());
    List<Record> records = RunLogs.records(Path.of(figures.get("wandb_file").asText()));
    assertFalse(RunLogs.types(records).contains("stats"), RunLogs.types(records).toString());
    assertEquals(2, RunbusJar.in(dir).run("bench", "--stats", "maybe").code());
  }

  private static List<Map<String, Double>> stats(List<Record> records) {
    List<Map<String, Double>> out = new ArrayList<>();
    for (Record r : records) {
      if (r.hasStats()) {
        Map<String, Double> values = new LinkedHashMap<>();
        for (StatsItem item : r.getStats().getItemList()) {
          values.put(item.getKey(), Double.parseDouble(item.getValueJson()));
        }
        out.add(values);
      }
    }
    return out;
  }
}
