package dev.runbus.system;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.runbus.Run;
import dev.runbus.RunLogs;
import dev.runbus.RunResult;
import dev.runbus.Runbus;
import dev.runbus.log.PythonLogReader;
import dev.runbus.proto.Record;
import dev.runbus.proto.StatsItem;
import java.lang.management.ManagementFactory;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A run's system metrics end to end, in this JVM: a 20-second run sampling every second and logging
 * every 5 s leaves stats records with W&B's keys and the JVM's, plausible values, the last partial
 * one before the exit, and a log W&B's reader rules accept; a short run still has stats; off means
 * none.
 */
class SystemStatsRunTest {

  static final List<String> WANDB_KEYS =
      List.of(
          "cpu", "memory", "proc.memory.rssMB", "proc.memory.availableMB", "proc.memory.percent",
          "proc.cpu.threads", "disk", "network.sent", "network.recv");
  static final List<String> JVM_KEYS =
      List.of(
          "jvm.heap.usedMB", "jvm.heap.committedMB", "jvm.heap.maxMB", "jvm.nonheap.usedMB",
          "jvm.nonheap.committedMB", "jvm.threads", "jvm.classes.loaded", "jvm.alloc.bytesPerSec");

  @TempDir Path dir;

  @Test
  void aTwentySecondRunLogsPlausibleStatsThatWandbsReaderAccepts() throws Exception {
    Run run =
        Runbus.init(
            RunLogs.quietOffline(dir)
                .statsSampleInterval(Duration.ofSeconds(1))
                .statsInterval(Duration.ofSeconds(5))
                .build());
    long end = System.nanoTime() + Duration.ofSeconds(20).toNanos();
    Map<String, Object> row = new LinkedHashMap<>();
    for (long step = 0; System.nanoTime() < end; step++) {
      row.put("loss", 1.0 / (step + 1));
      row.put("garbage", new double[256].length); // some allocation for the collectors to count
      run.log(row);
      Thread.sleep(1);
    }
    RunResult result = run.finish();

    List<Record> records = RunLogs.records(result.logFile());
    List<Map<String, Double>> stats = stats(records);
    // 20 s at one record per 5 s: three or four on the timer, and the partial one at finish
    assertTrue(stats.size() >= 4 && stats.size() <= 6, stats.size() + " stats records");
    List<String> types = RunLogs.types(records);
    assertEquals("stats", types.get(types.indexOf("exit") - 1), "the last partial before the exit");

    int cores = Runtime.getRuntime().availableProcessors();
    Map<String, Double> previous = null;
    for (Map<String, Double> s : stats) {
      for (String key : WANDB_KEYS) {
        assertTrue(s.containsKey(key), key + " missing from " + s);
      }
      for (String key : JVM_KEYS) {
        assertTrue(s.containsKey(key), key + " missing from " + s);
      }
      for (int i = 0; i < cores; i++) {
        double core = s.get(StatsKeys.corePercent(i));
        assertTrue(core >= 0 && core <= 100, "core " + i + " at " + core + " in " + s);
      }
      assertTrue(s.get("cpu") >= 0 && s.get("cpu") <= 100, s.toString());
      assertTrue(s.get("memory") > 0 && s.get("memory") <= 100, s.toString());
      assertTrue(s.get("jvm.heap.usedMB") <= s.get("jvm.heap.maxMB"), s.toString());
      for (var gc : ManagementFactory.getGarbageCollectorMXBeans()) {
        String count = StatsKeys.gcCount(gc.getName());
        assertTrue(s.containsKey(count), count + " missing from " + s);
        if (previous != null) {
          assertTrue(s.get(count) >= previous.get(count), count + " went down: " + stats);
          String time = StatsKeys.gcTime(gc.getName());
          assertTrue(s.get(time) >= previous.get(time), time + " went down: " + stats);
        }
      }
      previous = s;
    }
    assertTrue(
        stats.stream().anyMatch(s -> s.get("cpu") > 0), "a busy run used some CPU: " + stats);

    PythonLogReader.Result read = PythonLogReader.run(result.logFile());
    assertEquals(PythonLogReader.OK, read.exitCode(), read.stderr());
    ObjectMapper json = new ObjectMapper();
    List<JsonNode> pythonStats = new ArrayList<>();
    for (String line : read.lines()) {
      JsonNode node = json.readTree(line);
      if ("stats".equals(node.path("type").asText())) {
        assertTrue(node.has("items"), "the Python reader decodes a stats record's items: " + line);
        pythonStats.add(node.get("items"));
      }
    }
    assertEquals(stats.size(), pythonStats.size());
    assertEquals(
        stats.get(0).get("cpu"), pythonStats.get(0).get("cpu").asDouble(), "Python reads the values");

    SystemPeaks peaks = result.systemPeaks();
    assertTrue(peaks.heapUsedBytes() > 0 && peaks.heapUsedBytes() <= peaks.heapMaxBytes(), peaks.toString());
    assertTrue(result.report().contains("System peaks: CPU "), result.report());
  }

  @Test
  void aRunShorterThanOneSampleStillHasItsStats() throws Exception {
    Run run =
        Runbus.init(
            RunLogs.quietOffline(dir)
                .statsSampleInterval(Duration.ofSeconds(10))
                .statsInterval(Duration.ofSeconds(60))
                .build());
    run.log(Map.of("loss", 1.0));
    Thread.sleep(3000); // the sampler is up (half a second after init), no sample taken yet
    RunResult result = run.finish();
    List<Record> records = RunLogs.records(result.logFile());
    List<Map<String, Double>> stats = stats(records);
    assertEquals(1, stats.size(), RunLogs.types(records).toString());
    for (String key : WANDB_KEYS) {
      assertTrue(stats.get(0).containsKey(key), key + " missing from " + stats);
    }
    assertTrue(stats.get(0).containsKey("jvm.heap.usedMB"), stats.toString());
  }

  @Test
  void aRunEndingAtOnceHasTheJvmsStatsWithoutWaitingForTheSampler() throws Exception {
    RunResult result = Runbus.init(RunLogs.quietOffline(dir).build()).finish();
    List<Record> records = RunLogs.records(result.logFile());
    List<Map<String, Double>> stats = stats(records);
    assertEquals(1, stats.size(), RunLogs.types(records).toString());
    assertTrue(stats.get(0).containsKey("jvm.heap.usedMB"), stats.toString());
    assertTrue(stats.get(0).containsKey("jvm.threads"), stats.toString());
  }

  @Test
  void statsOffMeansNoStatsRecords() throws Exception {
    RunResult result = Runbus.init(RunLogs.quietOffline(dir).stats(false).build()).finish();
    assertFalse(RunLogs.types(RunLogs.records(result.logFile())).contains("stats"));
    assertTrue(result.systemPeaks().isEmpty());
    assertFalse(result.report().contains("System peaks"), result.report());
  }

  static List<Map<String, Double>> stats(List<Record> records) {
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
