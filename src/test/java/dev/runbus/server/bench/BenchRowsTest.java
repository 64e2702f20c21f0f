package dev.runbus.server.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

class BenchRowsTest {

  @Test
  void aLineIsWandbHistoryJsonWithItsStepAndMetrics() throws Exception {
    JsonNode line = new ObjectMapper().readTree(new BenchRows(10, 1_700_000_000.0).line(42));

    assertEquals(42, line.get("_step").asLong());
    for (int m = 0; m < 10; m++) {
      assertEquals(BenchRows.value(42, m), line.get("m" + m).asDouble(), 0.0);
    }
    assertTrue(line.get("_timestamp").asDouble() > 1_700_000_000.0);
    assertEquals(13, line.size());
  }

  @Test
  void medianOfEvenAndOddCounts() {
    assertEquals(2.0, ServerBench.median(new double[] {3, 1, 2}));
    assertEquals(2.5, ServerBench.median(new double[] {4, 1, 3, 2}));
  }
}
