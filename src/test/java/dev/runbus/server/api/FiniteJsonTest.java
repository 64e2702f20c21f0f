package dev.runbus.server.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import org.junit.jupiter.api.Test;

class FiniteJsonTest {

  @Test
  void nonFiniteNumbersBecomeStringsAndTheRestIsKeptExactly() throws IOException {
    assertEquals(
        "{\"a\":\"NaN\",\"b\":\"Infinity\",\"c\":\"-Infinity\",\"d\":[1.50,1E-7,12345678901234567890],"
            + "\"e\":\"NaN in a string\",\"f\":{\"g\":null,\"h\":true}}",
        FiniteJson.toPlainJson(
            "{\"a\": NaN, \"b\": Infinity, \"c\": -Infinity, \"d\": [1.50, 1e-7,"
                + " 12345678901234567890], \"e\": \"NaN in a string\", \"f\": {\"g\": null,"
                + " \"h\": true}}"));
    assertEquals("{}", FiniteJson.toPlainJson(""));
    assertEquals("{\"a\":1}", FiniteJson.toPlainJson("{\"a\":1}\n"));
  }

  @Test
  void onlyLinesThatMayNeedItAreRewritten() {
    assertFalse(FiniteJson.needsRewrite("{\"_step\":1,\"loss\":0.5}"));
    assertTrue(FiniteJson.needsRewrite("{\"loss\":NaN}"));
    assertTrue(FiniteJson.needsRewrite("{\"loss\":-Infinity}"));
    assertTrue(FiniteJson.needsRewrite("{\"loss\":\n1}"));
  }

  @Test
  void textThatIsNotJsonIsRefused() {
    assertThrows(IOException.class, () -> FiniteJson.toPlainJson("{\"a\":"));
  }
}
