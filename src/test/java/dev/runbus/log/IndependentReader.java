package dev.runbus.log;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * W&B's independent reader ({@link PythonLogReader}) for tests outside this package: it must
 * accept a whole log; what it read is counted by record type.
 */
public final class IndependentReader {

  private static final ObjectMapper JSON = new ObjectMapper();

  private IndependentReader() {}

  /** The records of each type the reader found in {@code log}; fails unless it accepted it. */
  public static Map<String, Integer> typeCounts(Path log) throws Exception {
    PythonLogReader.Result result = PythonLogReader.run(log);
    assertEquals(PythonLogReader.OK, result.exitCode(), "W&B's reader refused " + log + ": " + result.stderr());
    Map<String, Integer> counts = new TreeMap<>();
    List<String> lines = result.lines();
    for (String line : lines.subList(0, lines.size() - 1)) { // the last line is the verdict
      JsonNode record = JSON.readTree(line);
      counts.merge(record.get("type").asText(), 1, Integer::sum);
    }
    return counts;
  }
}
