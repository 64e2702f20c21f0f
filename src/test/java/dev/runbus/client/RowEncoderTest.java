package dev.runbus.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.runbus.json.JsonText;
import dev.runbus.proto.HistoryItem;
import dev.runbus.proto.PartialHistoryRequest;
import dev.runbus.proto.Record;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class RowEncoderTest {

  @ParameterizedTest
  @CsvSource({
    "1795734930.853234, 1795734930.853234",
    "1795734930.5, 1795734930.5",
    "1795734930.0, 1795734930.0",
    "0.000001, 0.000001",
    "0.0000004, 0.0",
    "0.4362337589263916, 0.436234",
    "-2.5, -2.5",
    "12.00000049, 12.0"
  })
  void secondsAreWrittenAtMicrosecondResolution(double seconds, String expected) {
    StringBuilder out = new StringBuilder();
    RowEncoder.appendMicros(out, seconds);
    assertEquals(expected, out.toString());
    assertEquals(seconds, Double.parseDouble(out.toString()), 1e-6);
  }

  @Test
  void aRowBecomesOnePartialHistoryRequest() {
    Row row =
        new Row(
            new String[] {"loss", "name", "cfg"},
            new Object[] {0.5f, "x\"y", new JsonText("{\"a\":[1,NaN]}")},
            3,
            7,
            false,
            100.25,
            1.5);
    Record record = new RowEncoder().encode(row);
    PartialHistoryRequest partial = record.getRequest().getPartialHistory();
    Map<String, String> items = new LinkedHashMap<>();
    for (HistoryItem item : partial.getItemList()) {
      items.put(item.getKey(), item.getValueJson());
    }
    assertEquals(
        Map.of(
            "loss",
            "0.5",
            "name",
            "\"x\\\"y\"",
            "cfg",
            "{\"a\":[1,NaN]}",
            "_timestamp",
            "100.25",
            "_runtime",
            "1.5"),
        items);
    assertEquals(7, partial.getStep().getNum());
    assertTrue(partial.hasAction());
    assertFalse(partial.getAction().getFlush());

    Record plain =
        new RowEncoder().encode(new Row(new String[] {"a"}, new Object[] {1}, 1, -1, null, 1, 0));
    assertFalse(plain.getRequest().getPartialHistory().hasStep());
    assertFalse(plain.getRequest().getPartialHistory().hasAction());
  }
}
