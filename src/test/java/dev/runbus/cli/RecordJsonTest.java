package dev.runbus.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.runbus.proto.HistoryItem;
import dev.runbus.proto.HistoryRecord;
import dev.runbus.proto.Record;
import org.junit.jupiter.api.Test;

/** How inspect shows a record: nothing hidden, nothing made to look like something else. */
class RecordJsonTest {

  private static String show(HistoryRecord.Builder history) throws Exception {
    return RecordJson.MAPPER.writeValueAsString(
        RecordJson.toJson(Record.newBuilder().setHistory(history).build()));
  }

  @Test
  void aLoggedNanIsNotTheStringNan() throws Exception {
    String json =
        show(
            HistoryRecord.newBuilder()
                .addItem(HistoryItem.newBuilder().setKey("x").setValueJson("NaN"))
                .addItem(HistoryItem.newBuilder().setKey("y").setValueJson("\"NaN\""))
                .addItem(HistoryItem.newBuilder().setKey("z").setValueJson("-Infinity")));
    assertEquals("{\"history\":{\"item\":{\"x\":NaN,\"y\":\"NaN\",\"z\":-Infinity}}}", json);
  }

  @Test
  void itemsThatWouldShareANameAreShownAsTheirList() throws Exception {
    String json =
        show(
            HistoryRecord.newBuilder()
                .addItem(HistoryItem.newBuilder().setKey("a").setValueJson("1"))
                .addItem(HistoryItem.newBuilder().addNestedKey("a").setValueJson("2")));
    JsonNode items = RecordJson.MAPPER.readTree(json).get("history").get("item");
    assertTrue(items.isArray(), json);
    assertEquals(2, items.size(), json);
    assertEquals(1, items.get(0).get("value_json").asInt(), json);
    assertEquals(2, items.get(1).get("value_json").asInt(), json);
  }
}
