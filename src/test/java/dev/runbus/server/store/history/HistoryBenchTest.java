package dev.runbus.server.store.history;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The benchmark runs end to end on a small run (its figures are not checked: no timing here). */
@Timeout(120)
class HistoryBenchTest {
  @Test
  void runsOnASmallRun() throws Exception {
    Map<String, String> figures =
        HistoryBench.run(new HistoryBench.Options(3_000, 10, 1_000, 100, null));
    assertEquals("3000", figures.get("rows"));
    for (String key :
        new String[] {
          "append_rows_per_s",
          "sample_3_keys_ms_median_of_5",
          "scan_one_key_values_per_s",
          "scan_whole_lines_per_s"
        }) {
      assertTrue(Double.parseDouble(figures.get(key)) > 0, key + " " + figures);
    }
    assertEquals("300", figures.get("sample_points_returned"), "3 keys of 100 points");
  }
}
