package dev.runbus.handler;

import static dev.runbus.handler.Fixtures.Log;
import static dev.runbus.handler.Fixtures.summaryRemove;
import static dev.runbus.handler.Fixtures.summaryUpdate;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.params.provider.Arguments.arguments;

import dev.runbus.handler.Fixtures.RecordingSink;
import dev.runbus.proto.GetSummaryRequest;
import dev.runbus.proto.HistoryItem;
import dev.runbus.proto.PartialHistoryRequest;
import dev.runbus.proto.Record;
import dev.runbus.proto.Request;
import dev.runbus.proto.SummaryItem;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** §2.4 without definitions, and explicit summary records. */
class SummaryTest {
  private final RunHandler handler = RunHandler.create(1000, 0);
  private final RecordingSink out = new RecordingSink();

  private String summaryAt(String... path) {
    return handler.state().summary.valueJson(path);
  }

  static Stream<Arguments> lastValueWins() {
    return Stream.of(
        arguments("numbers", List.of(Log.of("a", "1"), Log.of("a", "2.5")), "a", "2.5"),
        arguments(
            "nested objects are replaced whole",
            List.of(Log.of("o", "{\"x\": 1, \"y\": 2}"), Log.of("o", "{\"x\": 3}")),
            "o",
            "{\"x\": 3}"),
        arguments("strings", List.of(Log.of("s", "\"hi\"")), "s", "\"hi\""),
        arguments("booleans", List.of(Log.of("b", "1"), Log.of("b", "true")), "b", "true"),
        arguments("null", List.of(Log.of("n", "1"), Log.of("n", "null")), "n", "null"),
        arguments("lists kept verbatim", List.of(Log.of("l", "[1, 2]")), "l", "[1, 2]"),
        arguments("NaN", List.of(Log.of("x", "1"), Log.of("x", "NaN")), "x", "NaN"),
        arguments("Infinity", List.of(Log.of("x", "Infinity")), "x", "Infinity"),
        arguments("-Infinity", List.of(Log.of("x", "-Infinity")), "x", "-Infinity"),
        arguments(
            "a key absent from a later row keeps its value",
            List.of(Log.of("a", "1", "b", "1"), Log.of("b", "2")),
            "a",
            "1"),
        arguments(
            "media values point at the latest artifact",
            List.of(
                Log.of(
                    "img",
                    "{\"_type\":\"image-file\",\"artifact_path\":\"old\","
                        + "\"_latest_artifact_path\":\"new\"}")),
            "img",
            "{\"_type\":\"image-file\",\"artifact_path\":\"new\",\"_latest_artifact_path\":\"new\"}"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("lastValueWins")
  void withoutDefinitionsTheLastValueWins(String name, List<Log> rows, String key, String json) {
    rows.forEach(row -> handler.handle(row.record(), out));
    assertEquals(json, summaryAt(key));
  }

  @Test
  void theHandlerAddedKeysAreSummarizedToo() {
    handler.handle(Log.of("_timestamp", "1005.5", "loss", "0.5").record(), out);
    handler.handle(Log.of("_timestamp", "1007.25", "loss", "0.25").record(), out);
    assertEquals(
        List.of("_timestamp", "loss", "_runtime", "_step"),
        List.copyOf(handler.state().summary.keys()));
    assertEquals("1", summaryAt("_step"));
    assertEquals("7.25", summaryAt("_runtime"));
    assertEquals("1007.25", summaryAt("_timestamp"));
  }

  static Stream<Arguments> explicitUpdates() {
    return Stream.of(
        arguments(
            "a top-level set replaces the logged value",
            List.of(summaryUpdate("{\"best\": 1}", "acc")),
            new String[] {"acc"},
            "{\"best\": 1}"),
        arguments(
            "nested_key creates the objects on the way",
            List.of(summaryUpdate("1", "a", "b", "c")),
            new String[] {"a"},
            "{\"b\":{\"c\":1}}"),
        arguments(
            "nested_key goes into an object set as text",
            List.of(summaryUpdate("{\"x\": 1}", "o"), summaryUpdate("2", "o", "y")),
            new String[] {"o"},
            "{\"x\":1,\"y\":2}"),
        arguments(
            "nested_key turns a scalar into an object",
            List.of(summaryUpdate("2", "acc", "val")),
            new String[] {"acc"},
            "{\"val\":2}"),
        arguments(
            "remove deletes a key", List.of(summaryRemove("acc")), new String[] {"acc"}, null),
        arguments(
            "remove with nested_key deletes one leaf",
            List.of(summaryUpdate("{\"x\": 1, \"y\": 2}", "o"), summaryRemove("o", "x")),
            new String[] {"o"},
            "{\"y\":2}"),
        arguments(
            "removing a missing path changes nothing",
            List.of(summaryRemove("nope", "deeper")),
            new String[] {"acc"},
            "0.5"),
        arguments(
            "NaN set explicitly stays a bare token",
            List.of(summaryUpdate("NaN", "o", "n")),
            new String[] {"o"},
            "{\"n\":NaN}"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("explicitUpdates")
  void explicitSummaryRecordsSetAndRemove(
      String name, List<Record> updates, String[] path, String json) {
    handler.handle(Log.of("acc", "0.5").record(), out);
    updates.forEach(update -> handler.handle(update, out));
    assertEquals(json, summaryAt(path));
  }

  @Test
  void explicitSummaryRecordsAreForwardedUnchanged() {
    Record update = summaryUpdate("3", "acc");
    handler.handle(update, out);
    assertEquals(List.of(update), out.records);
  }

  @Test
  void getSummaryAnswersOneItemPerTopLevelKeyInOrder() {
    handler.handle(Log.of("b", "1", "a", "\"x\"").record(), out);
    handler.handle(summaryUpdate("[1, 2]", "c", "d"), out);
    List<SummaryItem> items =
        handler
            .answer(
                Request.newBuilder().setGetSummary(GetSummaryRequest.getDefaultInstance()).build(),
                out)
            .getGetSummaryResponse()
            .getItemList();
    assertEquals(
        List.of("b=1", "a=\"x\"", "_step=0", "c={\"d\":[1, 2]}"),
        items.stream().map(i -> i.getKey() + "=" + i.getValueJson()).toList());
  }

  @Test
  void nestedKeyHistoryItemsSetOneLeaf() {
    handler.handle(Log.of("o", "{\"x\": 1, \"y\": 2}").record(), out);
    HistoryItem nested =
        HistoryItem.newBuilder().addNestedKey("o").addNestedKey("x").setValueJson("5").build();
    handler.handle(
        Record.newBuilder()
            .setRequest(
                Request.newBuilder()
                    .setPartialHistory(PartialHistoryRequest.newBuilder().addItem(nested)))
            .build(),
        out);
    assertEquals("{\"x\":5,\"y\":2}", summaryAt("o"));
  }

  @Test
  void anUnknownPathReadsAsNull() {
    assertNull(summaryAt("missing", "leaf"));
  }
}
