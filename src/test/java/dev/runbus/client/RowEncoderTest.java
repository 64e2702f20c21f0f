package dev.runbus.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.runbus.bus.ValueCursor;
import dev.runbus.json.JsonText;
import dev.runbus.proto.HistoryItem;
import dev.runbus.proto.HistoryRows;
import dev.runbus.proto.PartialHistoryRequest;
import dev.runbus.proto.Record;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
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
    byte[] out = new byte[30];
    int end = RowEncoder.writeMicros(seconds, out, 3);
    String text = new String(out, 3, end - 3, java.nio.charset.StandardCharsets.US_ASCII);
    assertEquals(expected, text);
    assertEquals(seconds, Double.parseDouble(text), 1e-6);
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
        new RowEncoder().encode(new Row(new String[] {"a"}, new Object[] {1}, 1, Row.NO_STEP, null, 1, 0));
    assertFalse(plain.getRequest().getPartialHistory().hasStep());
    assertFalse(plain.getRequest().getPartialHistory().hasAction());
  }

  private static Row row(String[] keys, Object[] values, long step, Boolean commit, double time) {
    return new Row(keys, values, keys.length, step, commit, time, time - 100);
  }

  @Test
  void alikeRowsCommittedAtTheNextStepFormOneBlock() {
    String[] keys = {"loss", "acc"};
    List<Object> items =
        List.of(
            row(keys, new Object[] {0.5f, 1}, Row.NO_STEP, null, 100.5),
            row(keys.clone(), new Object[] {0.25, true}, Row.NO_STEP, Boolean.TRUE, 101),
            row(keys, new Object[] {0.125f, 3L}, Row.NO_STEP, null, 102),
            row(new String[] {"acc", "loss"}, new Object[] {1, 2}, Row.NO_STEP, null, 103), // keys reordered
            row(keys, new Object[] {1, 2}, 9, null, 104), // an explicit step
            row(keys, new Object[] {1, 2}, Row.NO_STEP, Boolean.FALSE, 105), // commit=false
            row(keys, new Object[] {"text", 2}, Row.NO_STEP, null, 106), // a string
            row(keys, new Object[] {1, 2}, Row.NO_STEP, null, 107));

    assertEquals(3, RowEncoder.blockEnd(items, 0));
    for (int i = 3; i < items.size(); i++) {
      assertEquals(i + 1, RowEncoder.blockEnd(items, i), "item " + i + " stands alone");
    }

    HistoryRows block = new RowEncoder().encodeBlock(items, 0, 3).getRequest().getLogRows();
    assertEquals(List.of("loss", "acc", "_timestamp", "_runtime"), block.getKeyList());
    List<String> texts = new ArrayList<>();
    ValueCursor cursor = new ValueCursor(block.getValues().toByteArray());
    while (cursor.next()) {
      texts.add(
          new String(
              cursor.bytes(),
              cursor.start(),
              cursor.end() - cursor.start(),
              java.nio.charset.StandardCharsets.UTF_8));
    }
    assertEquals(
        List.of(
            "0.5", "1", "100.5", "0.5", //
            "0.25", "true", "101.0", "1.0", //
            "0.125", "3", "102.0", "2.0"),
        texts);
  }
}
