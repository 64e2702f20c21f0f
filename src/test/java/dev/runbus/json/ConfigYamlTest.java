package dev.runbus.json;

import static dev.runbus.json.LogValuesCopyTest.map;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConfigYamlTest {

  @Test
  void writesTheLegacyLayout() {
    Map<String, Object> config =
        map(
            "lr",
            0.001,
            "epochs",
            10L,
            "name",
            "resnet",
            "layers",
            List.of(64L, 32L),
            "opt",
            map("kind", "adam", "betas", List.of(0.9, 0.999), "extra", Map.of(), "tags", List.of()),
            "nested",
            List.of(List.of(1L, 2L), map("a", 1L, "b", List.of()), List.of(), Map.of(), "s"),
            "none",
            null,
            "flag",
            true,
            "yes",
            "no",
            "decay",
            1e-5);
    assertEquals(
        """
                wandb_version: 1

                lr:
                  desc: null
                  value: 0.001
                epochs:
                  desc: null
                  value: 10
                name:
                  desc: null
                  value: resnet
                layers:
                  desc: null
                  value:
                  - 64
                  - 32
                opt:
                  desc: null
                  value:
                    kind: adam
                    betas:
                    - 0.9
                    - 0.999
                    extra: {}
                    tags: []
                nested:
                  desc: null
                  value:
                  - - 1
                    - 2
                  - a: 1
                    b: []
                  - []
                  - {}
                  - s
                none:
                  desc: null
                  value: null
                flag:
                  desc: null
                  value: true
                "yes":
                  desc: null
                  value: "no"
                decay:
                  desc: null
                  value: 1.0e-5
                """,
        ConfigYaml.configYaml(config));
  }

  @Test
  void writesAnEmptyConfig() {
    assertEquals("wandb_version: 1\n\n", ConfigYaml.configYaml(Map.of()));
  }

  @Test
  void parsesJsonTextValuesFirst() {
    assertEquals(
        "wandb_version: 1\n\nj:\n  desc: null\n  value:\n    a:\n    - 1\n    - 2.5\n",
        ConfigYaml.configYaml(Map.of("j", new JsonText("{\"a\":[1,2.5]}"))));
  }

  @Test
  void usesAnExplicitKeyWhenTheKeyIsTooLongForAnImplicitOne() {
    String key = "k".repeat(1001);
    assertEquals(
        "wandb_version: 1\n\n? "
            + key
            + "\n: desc: null\n  value:\n    ? "
            + key
            + "\n    : 1\n",
        ConfigYaml.configYaml(Map.of(key, Map.of(key, 1L))));
  }

  @Test
  void rejectsWhatItCannotWrite() {
    assertEquals(
        "config key \"wandb_version\" cannot be written to config.yaml",
        assertThrows(
                IllegalArgumentException.class,
                () -> ConfigYaml.configYaml(Map.of("wandb_version", 2L)))
            .getMessage());
    assertEquals(
        "config value of type java.lang.Thread cannot be written to config.yaml",
        assertThrows(
                IllegalArgumentException.class,
                () -> ConfigYaml.configYaml(Map.of("t", List.of(new Thread()))))
            .getMessage());
    assertEquals(
        "config map keys must be strings, got java.lang.Integer",
        assertThrows(
                IllegalArgumentException.class,
                () -> ConfigYaml.configYaml(Map.of("m", Map.of(1, 2))))
            .getMessage());
    List<Object> cycle = new ArrayList<>();
    cycle.add(cycle);
    assertEquals(
        "config value is nested deeper than 1000 levels",
        assertThrows(
                IllegalArgumentException.class, () -> ConfigYaml.configYaml(Map.of("c", cycle)))
            .getMessage());
  }

  @Test
  void keepsUnpairedSurrogatesAsEscapesWhereSnakeYamlWouldWriteOtherCharacters() {
    assertEquals(
        "wandb_version: 1\n\nk:\n  desc: null\n  value: \"a\\uD800b\"\n",
        ConfigYaml.configYaml(Map.of("k", "a\uD800b")));
    assertEquals(
        "wandb_version: 1\n\n\"\\uDC00\":\n  desc: null\n  value:\n    \"x\\uD800\": 1\n",
        ConfigYaml.configYaml(Map.of("\uDC00", Map.of("x\uD800", 1L))));
    // the character runbus marks escapes with is escaped itself; the end mark stays as it is
    assertEquals(
        "wandb_version: 1\n\nk:\n  desc: null\n  value: \"\\uE000D800\uE001\\uD800\"\n",
        ConfigYaml.configYaml(Map.of("k", "\uE000D800\uE001\uD800")));
  }

  /** PyYAML's safe_load must give back exactly the values written, types included. */
  @Test
  void pyyamlReadsBackTheSameValues(@TempDir Path dir) throws Exception {
    Assumptions.assumeTrue(Python.canImport("yaml"), "PyYAML not available (Debian: python3-yaml)");
    Map<String, Object> config = new LinkedHashMap<>();
    List<String> strings = new ArrayList<>(Arrays.asList(Yaml11QuotingTest.NEED_QUOTES));
    strings.addAll(Arrays.asList(Yaml11QuotingTest.PLAIN));
    StringBuilder allChars = new StringBuilder();
    for (char c = 0; c < 0x100; c++) {
      allChars.append(c);
    }
    strings.add(allChars.append("\u2028\u2029\uFEFF\uFFFE\uFFFF😀").toString());
    strings.add("long ".repeat(500));
    // unpaired surrogates, alone and beside a pair, and the character escapes are marked with
    strings.addAll(
        List.of(
            "a\uD800b", "a\uD800", "\uDC00b", "a\uD800\uD83D\uDE00", "\uE000D800\uE001", "\uE000"));
    for (String s : strings) {
      config.put("v" + config.size(), s); // as a value
      if (!s.isEmpty() && !s.equals("wandb_version")) {
        config.put(s, (long) config.size()); // as a top-level key
      }
    }
    Map<String, Object> keys = new LinkedHashMap<>();
    strings.forEach(s -> keys.put(s, s));
    config.put("nested keys", keys);

    Random random = new Random(5L);
    List<Object> numbers =
        new ArrayList<>(
            List.of(
                0L,
                -1L,
                Long.MAX_VALUE,
                Long.MIN_VALUE,
                new BigInteger("-123456789012345678901234567890"),
                0.0,
                -0.0,
                1e-5,
                1e21,
                1e22,
                1e23,
                100.0,
                Double.MIN_VALUE,
                Double.MAX_VALUE,
                Double.NaN,
                Double.POSITIVE_INFINITY,
                Double.NEGATIVE_INFINITY));
    for (int i = 0; i < 2000; i++) {
      double d = Double.longBitsToDouble(random.nextLong());
      numbers.add(Double.isNaN(d) ? (Object) random.nextLong() : (Object) d);
    }
    config.put("numbers", numbers);
    config.put(
        "shapes",
        List.of(
            List.of(),
            Map.of(),
            List.of(List.of(List.of(1L))),
            List.of(map("a", null, "b", List.of(map("c", true, "d", List.of(false))))),
            map("x", List.of(), "y", Map.of(), "z", map("deep", List.of(List.of(), "s")))));
    config.put("k".repeat(1500), map("k".repeat(1200), List.of(map("k".repeat(1100), 1L))));
    config.put("nulls", Arrays.asList(null, map("n", null)));

    Path file = dir.resolve("config.yaml");
    Files.writeString(file, ConfigYaml.configYaml(config), StandardCharsets.UTF_8);
    String json =
        Python.run(
            String.join(
                "\n",
                "import json, sys, yaml",
                "with open(sys.argv[1], encoding='utf-8') as f:",
                "    data = yaml.safe_load(f)",
                "print(json.dumps(data, ensure_ascii=True, allow_nan=True))"),
            file.toString());

    Map<String, Object> expected = new LinkedHashMap<>();
    expected.put("wandb_version", 1L);
    config.forEach((k, v) -> expected.put(k, map("desc", null, "value", v)));
    Object actual = JsonValues.parse(json);
    java.util.Set<Object> missing = new java.util.LinkedHashSet<>(expected.keySet());
    missing.removeAll(((Map<?, ?>) actual).keySet());
    java.util.Set<Object> extra = new java.util.LinkedHashSet<>(((Map<?, ?>) actual).keySet());
    extra.removeAll(expected.keySet());
    assertEquals(List.of(), List.copyOf(missing), () -> "keys not read back; read instead " + extra);
    assertEquals(expected.keySet(), ((Map<?, ?>) actual).keySet(), "the order of the keys");
    expected.forEach(
        (k, v) -> assertEquals(v, ((Map<?, ?>) actual).get(k), () -> "key " + Messages.quote(k)));
  }
}
