package dev.runbus.service.bridge;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.runbus.service.ServiceException;
import dev.runbus.service.ServiceStatus;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class BridgeValuesTest {

  @Test
  void jsonBecomesPlainJavaValuesAndTaggedFloatsDoubles() {
    JsonObject row =
        new JsonObject(
            "{\"loss\":0.5,\"n\":3,\"ok\":true,\"none\":null,\"s\":\"x\","
                + "\"nan\":{\"$float\":\"NaN\"},\"inf\":{\"$float\":\"-Infinity\"},"
                + "\"nested\":{\"a\":[1,{\"$float\":\"Infinity\"}]}}");
    Map<String, Object> map = BridgeValues.map(row, "row", 1 << 20);
    assertEquals(0.5, map.get("loss"));
    assertEquals(3, map.get("n"));
    assertEquals(true, map.get("ok"));
    assertTrue(map.containsKey("none"));
    assertTrue(Double.isNaN((Double) map.get("nan")));
    assertEquals(Double.NEGATIVE_INFINITY, map.get("inf"));
    assertEquals(Map.of("a", List.of(1, Double.POSITIVE_INFINITY)), map.get("nested"));
    assertEquals(List.of("loss", "n", "ok", "none", "s", "nan", "inf", "nested"), List.copyOf(map.keySet()));
  }

  @Test
  void aMalformedFloatTagIsRefusedNamingTheKey() {
    ServiceException e =
        assertThrows(
            ServiceException.class,
            () -> BridgeValues.map(new JsonObject("{\"a\":{\"b\":{\"$float\":\"nan\"}}}"), "row", 1 << 20));
    assertEquals(ServiceStatus.INVALID_ARGUMENT, e.status());
    assertTrue(e.getMessage().startsWith("value of row.a.b:"), e.getMessage());
  }

  @Test
  void valuesPastTheFramesBudgetAreRefused() {
    JsonObject row = new JsonObject().put("text", "x".repeat(600));
    ServiceException e =
        assertThrows(ServiceException.class, () -> BridgeValues.map(row, "row", 1000));
    assertEquals(ServiceStatus.RESOURCE_EXHAUSTED, e.status());
    assertTrue(e.getMessage().contains("row.text"), e.getMessage());
    JsonObject many = new JsonObject().put("list", new JsonArray(java.util.Collections.nCopies(100, 0)));
    assertThrows(ServiceException.class, () -> BridgeValues.map(many, "row", 1000));
    BridgeValues.map(new JsonObject().put("text", "x".repeat(400)), "row", 1000); // fits
  }

  @Test
  void answersSpellNonFiniteFloatsTheSameWay() {
    Object json = BridgeValues.toJson(Map.of("m", List.of(Double.NaN, 1.0)));
    assertEquals(
        "{\"m\":[{\"$float\":\"NaN\"},1.0]}", ((JsonObject) json).encode());
  }
}
