package dev.runbus.server.graphql;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.runbus.server.store.BadInputException;
import dev.runbus.server.store.RunKey;
import dev.runbus.server.store.RunUpsert;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The plain parts behind the endpoint, without a server. */
class GraphQlPartsTest {

  @Test
  void upsertInputMapsWandbNamesOntoTheStoresFields() {
    Map<String, Object> in = new HashMap<>();
    in.put("id", "UnVuOnYxOnI6cDpl");
    in.put("name", "r");
    in.put("modelName", "p");
    in.put("entityName", "e");
    in.put("groupName", "g");
    in.put("jobProgram", "train.py");
    in.put("jobRepo", "https://example.org/repo.git");
    in.put("jobType", "train");
    in.put("sweep", "s1");
    in.put("config", "{\"a\": {\"value\": NaN}}");
    in.put("summaryMetrics", "{\"loss\": 1}");
    in.put("tags", List.of("x", "y"));
    in.put("debug", true);
    UpsertBucketInput parsed = UpsertBucketInput.from(in);
    RunUpsert u = parsed.upsert();
    assertEquals("UnVuOnYxOnI6cDpl", parsed.storageId());
    assertEquals(
        Arrays.asList("e", "p", "r", "g", "train", "train.py", "https://example.org/repo.git", "s1"),
        Arrays.asList(u.entity(), u.project(), u.name(), u.group(), u.jobType(), u.program(), u.repo(), u.sweep()));
    // Config travels unchanged, NaN included: the store judges it.
    assertEquals("{\"a\": {\"value\": NaN}}", u.config());
    assertEquals(List.of("x", "y"), u.tags());
    assertNull(u.notes());
    assertNull(u.state());
  }

  @Test
  void anUpsertWithoutANameLeavesNamingToTheStore() {
    // the store names it (upsertWithoutANameGetsOne sees the name through GraphQL)
    assertNull(UpsertBucketInput.from(Map.of()).upsert().name());
    Map<String, Object> byId = Map.of("id", "abc");
    assertNull(UpsertBucketInput.from(byId).upsert().name());
  }

  @Test
  void anEmptyEntityIsTheViewersOwn() {
    assertNull(UpsertBucketInput.from(Map.of("name", "r", "entityName", "")).upsert().entity());
  }

  @Test
  void nullTagsAreRefused() {
    Map<String, Object> in = new HashMap<>();
    in.put("tags", Arrays.asList("a", null));
    assertThrows(BadInputException.class, () -> UpsertBucketInput.from(in));
  }

  @Test
  void storageIdCandidatesIncludeTheRunEvenWithColonsInNames() {
    String id = id("Run:v1:run:1:proj:ent");
    List<RunKey> keys = StorageIdKeys.candidates(id);
    assertTrue(keys.contains(new RunKey("ent", "proj", "run:1")), keys.toString());
    assertTrue(keys.contains(new RunKey("ent", "1:proj", "run")), keys.toString());
    assertEquals(List.of(new RunKey("e", "p", "r")), StorageIdKeys.candidates(id("Run:v1:r:p:e")));
    assertEquals(List.of(), StorageIdKeys.candidates("not base64 at all!"));
    assertEquals(List.of(), StorageIdKeys.candidates(id("Project:v1:p:e")));
    assertTrue(StorageIdKeys.candidates(id("Run:v1:" + ":".repeat(500))).size() <= 32);
  }

  @Test
  void wandbConfigPicksKeysOfTheInternalBlock() {
    String config = "{\"lr\": {\"value\": NaN}, \"_wandb\": {\"value\": {\"t\": {\"1\": [55]}, \"m\": []}}}";
    assertEquals("{\"t\":{\"1\":[55]}}", ResumeJson.wandbConfig(config, List.of("t")));
    assertEquals("{}", ResumeJson.wandbConfig("{}", List.of("t")));
    assertEquals("{}", ResumeJson.wandbConfig(null, List.of("t")));
    assertEquals("{}", ResumeJson.wandbConfig("not json", List.of("t")));
  }

  @Test
  void tailsAreArraysOfLineTexts() {
    assertEquals("[\"{\\\"x\\\": NaN}\",\"{}\"]", ResumeJson.lineArray(List.of("{\"x\": NaN}", "{}")));
  }

  private static String id(String plain) {
    return Base64.getEncoder().encodeToString(plain.getBytes(StandardCharsets.UTF_8));
  }
}
