package dev.runbus.server.store.sql;

import com.fasterxml.jackson.core.json.JsonWriteFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.core.json.JsonReadFeature;
import dev.runbus.server.store.RunData;
import dev.runbus.server.store.history.HistoryStore;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;

/**
 * A stand-in history layout: one run_lines row per history line (stream 3), read by parsing every
 * line. Correct but slow to read; it serves until the history layout built for reading replaces
 * it (only {@link SqlServerStore#open} names this class).
 */
public final class LineHistoryStore implements HistoryStore {
  static final int STREAM = 3;
  private static final ObjectMapper MAPPER =
      JsonMapper.builder()
          .enable(JsonReadFeature.ALLOW_NON_NUMERIC_NUMBERS)
          .disable(JsonWriteFeature.WRITE_NAN_AS_STRINGS)
          .build();

  @Override
  public void append(Connection c, long runId, long firstLine, List<String> lines)
      throws SQLException {
    RunLines.append(c, runId, STREAM, firstLine, lines);
  }

  @Override
  public List<String> tail(Connection c, long runId, int n) throws SQLException {
    return RunLines.tail(c, runId, STREAM, n);
  }

  @Override
  public List<String> keys(Connection c, long runId) throws SQLException {
    TreeSet<String> keys = new TreeSet<>();
    RunLines.scan(
        c, runId, STREAM, 0, Long.MAX_VALUE, (n, text) -> parse(text).fieldNames().forEachRemaining(keys::add));
    return new ArrayList<>(keys);
  }

  @Override
  public void scan(
      Connection c, long runId, List<String> keys, long fromLine, long limit, RunData.LineSink sink)
      throws SQLException {
    RunLines.scan(
        c,
        runId,
        STREAM,
        fromLine,
        limit,
        (n, text) -> {
          if (keys.isEmpty()) {
            sink.line(n, text);
            return;
          }
          JsonNode line = parse(text);
          ObjectNode out = MAPPER.createObjectNode();
          for (String key : keys) {
            if (line.has(key)) {
              out.set(key, line.get(key));
            }
          }
          if (line.has("_step")) {
            out.set("_step", line.get("_step"));
          }
          sink.line(n, write(out));
        });
  }

  /** Buckets of lines, each keeping the minimum and maximum of every key. */
  @Override
  public RunData.SampledHistory sample(Connection c, long runId, List<String> keys, int points)
      throws SQLException {
    List<long[]> steps = new ArrayList<>();
    List<double[]> values = new ArrayList<>();
    long[] count = {0};
    RunLines.scan(
        c,
        runId,
        STREAM,
        0,
        Long.MAX_VALUE,
        (n, text) -> {
          JsonNode line = parse(text);
          long step = line.path("_step").asLong(n);
          double[] row = new double[keys.size()];
          for (int k = 0; k < keys.size(); k++) {
            JsonNode v = line.get(keys.get(k));
            row[k] = v != null && v.isNumber() ? v.asDouble() : Double.NaN;
          }
          steps.add(new long[] {step});
          values.add(row);
          count[0]++;
        });
    int rows = steps.size();
    int bucket = Math.max(1, (int) Math.ceil(rows / Math.max(1.0, points / 2.0)));
    List<RunData.SampledHistory.Series> series = new ArrayList<>();
    for (int k = 0; k < keys.size(); k++) {
      List<long[]> kept = new ArrayList<>();
      for (int start = 0; start < rows; start += bucket) {
        int min = -1;
        int max = -1;
        for (int i = start; i < Math.min(rows, start + bucket); i++) {
          double v = values.get(i)[k];
          if (Double.isNaN(v)) {
            continue;
          }
          if (min < 0 || v < values.get(min)[k]) {
            min = i;
          }
          if (max < 0 || v > values.get(max)[k]) {
            max = i;
          }
        }
        if (min >= 0) {
          kept.add(new long[] {Math.min(min, max)});
          if (max != min) {
            kept.add(new long[] {Math.max(min, max)});
          }
        }
      }
      long[] s = new long[kept.size()];
      double[] v = new double[kept.size()];
      for (int i = 0; i < kept.size(); i++) {
        int row = (int) kept.get(i)[0];
        s[i] = steps.get(row)[0];
        v[i] = values.get(row)[k];
      }
      series.add(new RunData.SampledHistory.Series(keys.get(k), s, v));
    }
    return new RunData.SampledHistory(series, count[0]);
  }

  @Override
  public void deleteRun(Connection c, long runId) throws SQLException {
    try (PreparedStatement ps =
        c.prepareStatement("DELETE FROM run_lines WHERE run_id = ? AND stream = ?")) {
      ps.setLong(1, runId);
      ps.setInt(2, STREAM);
      ps.executeUpdate();
    }
  }

  private static JsonNode parse(String text) {
    try {
      return MAPPER.readTree(text);
    } catch (Exception e) {
      return MAPPER.createObjectNode();
    }
  }

  private static String write(JsonNode node) {
    try {
      return MAPPER.writeValueAsString(node);
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }
}
