package dev.runbus.server.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

class BenchRowsTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  @Test
  void aLineIsWandbHistoryJsonWithItsStepAndMetrics() throws Exception {
    JsonNode line = JSON.readTree(new BenchRows(10, 1_700_000_000.0).line(42));

    assertEquals(42, line.get("_step").asLong());
    for (int m = 0; m < 10; m++) {
      assertEquals(BenchRows.value(42, m), line.get("m" + m).asDouble(), 1e-14);
      assertTrue(line.get("m" + m).isDouble());
    }
    assertEquals(0.042, line.get("_runtime").asDouble(), 0.0);
    assertEquals(1_700_000_000.042, line.get("_timestamp").asDouble(), 1e-6);
    assertEquals(13, line.size());
  }

  @Test
  void valuesAreWrittenToTheirLastDecimalNegativeOnesToo() throws Exception {
    BenchRows rows = new BenchRows(3, 0);
    int negative = 0;
    for (long step = 1_000_000; step < 1_000_200; step++) {
      JsonNode line = JSON.readTree(rows.line(step));
      for (int m = 0; m < 3; m++) {
        double v = BenchRows.value(step, m);
        negative += v < 0 ? 1 : 0;
        assertEquals(v, line.get("m" + m).asDouble(), 1e-14, line.toString());
      }
    }
    assertTrue(negative > 0, "the decay reaches below the noise");
  }

  @Test
  void aHistoryPostIsWandbsEnvelopeOfTheLines() throws Exception {
    BenchRows rows = new BenchRows(10, 1_700_000_000.0);
    JsonNode post = JSON.readTree(rows.historyPost(500, 3));

    JsonNode chunk = post.get("files").get("wandb-history.jsonl");
    assertEquals(500, chunk.get("offset").asLong());
    assertEquals(3, chunk.get("content").size());
    for (int i = 0; i < 3; i++) {
      assertEquals(rows.line(500 + i), chunk.get("content").get(i).textValue());
    }
    assertEquals(1, post.size());
  }

  @Test
  void medianOfEvenAndOddCounts() {
    assertEquals(2.0, ServerBench.median(new double[] {3, 1, 2}));
    assertEquals(2.5, ServerBench.median(new double[] {4, 1, 3, 2}));
  }
}
