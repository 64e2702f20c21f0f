package dev.runbus.json;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.DoubleAdder;
import java.util.concurrent.atomic.LongAdder;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class LogValuesCopyTest {

  private static final String USE_INSTEAD =
      ", which cannot be serialised to JSON; use numbers, booleans, strings, lists, arrays or maps";

  record Point(int x, int y) {}

  /** Ordered maps with null values, which Map.of cannot hold. */
  static Map<String, Object> map(Object... keysAndValues) {
    Map<String, Object> m = new LinkedHashMap<>();
    for (int i = 0; i < keysAndValues.length; i += 2) {
      m.put((String) keysAndValues[i], keysAndValues[i + 1]);
    }
    return m;
  }

  static Stream<Arguments> accepted() {
    LongAdder adder = new LongAdder();
    adder.add(7);
    DoubleAdder doubleAdder = new DoubleAdder();
    doubleAdder.add(0.5);
    return Stream.of(
        Arguments.of(null, "null"),
        Arguments.of(true, "true"),
        Arguments.of("x\"y", "\"x\\\"y\""),
        Arguments.of('c', "\"c\""),
        Arguments.of(1, "1"),
        Arguments.of(-2L, "-2"),
        Arguments.of((short) 3, "3"),
        Arguments.of((byte) -4, "-4"),
        Arguments.of(2.5, "2.5"),
        Arguments.of(1.0, "1.0"),
        Arguments.of(0.1f, "0.1"),
        Arguments.of(Double.NaN, "NaN"),
        Arguments.of(Double.POSITIVE_INFINITY, "Infinity"),
        Arguments.of(Float.NEGATIVE_INFINITY, "-Infinity"),
        Arguments.of(new BigDecimal("1E+3"), "1E+3"),
        Arguments.of(
            new BigInteger("123456789012345678901234567890"), "123456789012345678901234567890"),
        Arguments.of(new AtomicInteger(5), "5"),
        Arguments.of(new AtomicLong(6), "6"),
        Arguments.of(adder, "7"),
        Arguments.of(doubleAdder, "0.5"),
        Arguments.of(TimeUnit.SECONDS, "\"SECONDS\""),
        Arguments.of(new JsonText("{\"pre\":1}"), "{\"pre\":1}"),
        Arguments.of(Map.of("a", List.of(1, 2.5, "x", true)), "{\"a\":[1,2.5,\"x\",true]}"),
        Arguments.of(
            map("a", null, "b", Arrays.asList(null, 1), "c", map("d", null)),
            "{\"a\":null,\"b\":[null,1],\"c\":{\"d\":null}}"),
        Arguments.of(List.of(), "[]"),
        Arguments.of(Map.of(), "{}"),
        Arguments.of(new LinkedHashSet<>(List.of("s", "t")), "[\"s\",\"t\"]"),
        Arguments.of(new double[] {Double.NaN}, "[NaN]"),
        Arguments.of(
            new double[] {1, -0.0, Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY, 1e-5},
            "[1.0,-0.0,Infinity,-Infinity,1.0E-5]"),
        Arguments.of(new float[] {0.1f, 3f}, "[0.1,3.0]"),
        Arguments.of(new int[] {1, -2}, "[1,-2]"),
        Arguments.of(new long[] {Long.MIN_VALUE}, "[-9223372036854775808]"),
        Arguments.of(new short[] {7}, "[7]"),
        Arguments.of(new byte[] {-1, 2}, "[-1,2]"),
        Arguments.of(new boolean[] {true, false}, "[true,false]"),
        Arguments.of(new char[] {'a', '"'}, "[\"a\",\"\\\"\"]"),
        Arguments.of(new double[0], "[]"),
        Arguments.of(new Object[] {1, "a", null, new int[] {2}}, "[1,\"a\",null,[2]]"),
        Arguments.of(new int[][] {{1, 2}, {3}}, "[[1,2],[3]]"),
        Arguments.of(
            List.of(map("k", new AtomicLong(9), "e", TimeUnit.DAYS, "c", 'z', "f", 1.5f)),
            "[{\"k\":9,\"e\":\"DAYS\",\"c\":\"z\",\"f\":1.5}]"),
        Arguments.of(List.of(new JsonText("[1,{}]")), "[[1,{}]]"),
        Arguments.of(
            List.of("tab\there", "é😀", "\uD800"), "[\"tab\\there\",\"é😀\",\"\\uD800\"]"));
  }

  @ParameterizedTest
  @MethodSource("accepted")
  void copiesAndEncodesAcceptedValues(Object value, String json) {
    Object copy = LogValues.copyValue("k", value);
    assertEquals(json, JsonWriter.toJson(copy));
    assertEquals(json, JsonWriter.toJson(value), "encoding the original gives the same text");
  }

  @Test
  void keepsImmutableValuesAsTheyAre() {
    for (Object v :
        List.of(
            "s",
            true,
            1,
            2L,
            3.0,
            4f,
            (short) 5,
            (byte) 6,
            new BigDecimal("1.5"),
            BigInteger.TEN,
            new JsonText("1"))) {
      assertSame(v, LogValues.copyValue("k", v));
    }
  }

  @Test
  void snapshotsMutableNumbersAsLongOrDouble() {
    assertEquals(5L, LogValues.copyValue("k", new AtomicInteger(5)));
    assertEquals(6L, LogValues.copyValue("k", new AtomicLong(6)));
    DoubleAdder adder = new DoubleAdder();
    adder.add(2.0);
    assertEquals(2.0, LogValues.copyValue("k", adder));
  }

  @Test
  void snapshotsUnknownNumbersByValue() {
    assertEquals(3L, LogValues.copyValue("k", new Fraction(6, 2)));
    assertEquals(0.5, LogValues.copyValue("k", new Fraction(1, 2)));
  }

  @Test
  void encodesContainersRightAway() {
    assertInstanceOf(JsonText.class, LogValues.copyValue("k", List.of(1)));
    assertInstanceOf(JsonText.class, LogValues.copyValue("k", new double[] {1}));
    assertInstanceOf(JsonText.class, LogValues.copyValue("k", Map.of()));
  }

  static Stream<Arguments> rejected() {
    Map<Object, Object> intKey = new HashMap<>();
    intKey.put(1, "one");
    Map<String, Object> nullKey = new HashMap<>();
    nullKey.put(null, "x");
    Iterable<Integer> iterable = () -> List.of(1).iterator();
    return Stream.of(
        Arguments.of(
            new Thread(() -> {}),
            "log() value for key \"model/weights\" has type java.lang.Thread" + USE_INSTEAD),
        Arguments.of(
            new Object(),
            "log() value for key \"model/weights\" has type java.lang.Object" + USE_INSTEAD),
        Arguments.of(
            Optional.of(1),
            "log() value for key \"model/weights\" has type java.util.Optional" + USE_INSTEAD),
        Arguments.of(
            new Point(1, 2),
            "log() value for key \"model/weights\" has type "
                + Point.class.getName()
                + USE_INSTEAD),
        Arguments.of(
            iterable,
            "log() value for key \"model/weights\" has type "
                + iterable.getClass().getName()
                + USE_INSTEAD),
        Arguments.of(
            Stream.of(1),
            "log() value for key \"model/weights\" has type "
                + Stream.of(1).getClass().getName()
                + USE_INSTEAD),
        Arguments.of(
            Map.of("w", List.of(1, new Object())),
            "log() value for key \"model/weights\" contains type java.lang.Object at model/weights.w[1]"
                + USE_INSTEAD),
        Arguments.of(
            new Object[] {1, new Object[] {Optional.empty()}},
            "log() value for key \"model/weights\" contains type java.util.Optional"
                + " at model/weights[1][0]"
                + USE_INSTEAD),
        Arguments.of(
            intKey,
            "log() value for key \"model/weights\" contains a map key of type java.lang.Integer"
                + " in the map at model/weights; map keys must be strings"),
        Arguments.of(
            Map.of("a", List.of(0, nullKey)),
            "log() value for key \"model/weights\" contains a null map key in the map at"
                + " model/weights.a[1]; map keys must be strings"));
  }

  @ParameterizedTest
  @MethodSource("rejected")
  void rejectsNamingTheKeyPathAndType(Object value, String message) {
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class, () -> LogValues.copyValue("model/weights", value));
    assertEquals(message, e.getMessage());
  }

  @Test
  void detectsADirectCycle() {
    Map<String, Object> inner = new HashMap<>();
    inner.put("self", inner);
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class, () -> LogValues.copyValue("a", Map.of("b", inner)));
    assertEquals("log() value for key \"a\" contains a cycle at a.b.self", e.getMessage());
  }

  @Test
  void detectsACycleThroughAList() {
    Map<String, Object> map = new LinkedHashMap<>();
    List<Object> list = new ArrayList<>();
    map.put("x", 1);
    map.put("b", list);
    list.add(2);
    list.add(map);
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> LogValues.copyValue("a", map));
    assertEquals("log() value for key \"a\" contains a cycle at a.b[1]", e.getMessage());
  }

  @Test
  void detectsACycleThroughAnArray() {
    Object[] array = new Object[1];
    List<Object> list = new ArrayList<>();
    list.add(array);
    array[0] = list;
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> LogValues.copyValue("arr", array));
    assertEquals("log() value for key \"arr\" contains a cycle at arr[0][0]", e.getMessage());
  }

  @Test
  void acceptsTheSameObjectTwiceWhenItIsNotACycle() {
    List<Integer> shared = List.of(1);
    Object copy = LogValues.copyValue("k", map("x", shared, "y", List.of(shared, shared)));
    assertEquals("{\"x\":[1],\"y\":[[1],[1]]}", JsonWriter.toJson(copy));
  }

  private static Object nestedLists(int levels) {
    Object v = new ArrayList<>();
    for (int i = 1; i < levels; i++) {
      v = new ArrayList<>(List.of(v));
    }
    return v;
  }

  @Test
  void acceptsNestingUpToTheLimit() {
    Object copy = LogValues.copyValue("deep", nestedLists(LogValues.MAX_DEPTH));
    assertEquals("[".repeat(100) + "]".repeat(100), ((JsonText) copy).json());
  }

  @Test
  void rejectsNestingBeyondTheLimit() {
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () -> LogValues.copyValue("deep", nestedLists(LogValues.MAX_DEPTH + 1)));
    assertEquals(
        "log() value for key \"deep\" is nested deeper than 100 levels at deep"
            + "[0]".repeat(66)
            + "…(34 more)",
        e.getMessage());
  }

  @Test
  void veryDeepInputFailsCleanlyInsteadOfOverflowingTheStack() {
    Object deep = nestedLists(200_000);
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> LogValues.copyValue("d", deep));
    assertTrue(e.getMessage().contains("nested deeper than 100 levels"), e.getMessage());
  }

  @Test
  void encodesLargeContainers() {
    List<Integer> big = new ArrayList<>(Collections.nCopies(1_000_000, 7));
    String json = ((JsonText) LogValues.copyValue("big", big)).json();
    assertEquals(2 * 1_000_000 + 1, json.length());
    double[] wide = new double[1_000_000];
    assertEquals(4 * 1_000_000 + 1, ((JsonText) LogValues.copyValue("wide", wide)).json().length());
  }

  @Test
  void doesNotModifyItsInput() {
    List<Object> list = new ArrayList<>(List.of(1, "two", 3.0));
    Map<String, Object> map = map("list", list, "nested", map("n", null), "arr", new int[] {4, 5});
    String before = map.toString() + Arrays.toString((int[]) map.get("arr"));
    LogValues.copyValue("k", map);
    assertEquals(before, map.toString() + Arrays.toString((int[]) map.get("arr")));
    assertEquals(List.of(1, "two", 3.0), list);
  }

  @Test
  void copyIsIndependentOfLaterChangesByTheCaller() {
    List<Object> list = new ArrayList<>(List.of(1, 2));
    Map<String, Object> map = map("list", list);
    double[] array = {1.5};
    AtomicLong counter = new AtomicLong(10);

    Object mapCopy = LogValues.copyValue("m", map);
    Object arrayCopy = LogValues.copyValue("a", array);
    Object counterCopy = LogValues.copyValue("c", counter);
    list.add(3);
    map.put("later", true);
    array[0] = 99;
    counter.incrementAndGet();

    assertEquals("{\"list\":[1,2]}", JsonWriter.toJson(mapCopy));
    assertEquals("[1.5]", JsonWriter.toJson(arrayCopy));
    assertEquals("10", JsonWriter.toJson(counterCopy));
  }

  /** A Number type copyValue knows nothing about. */
  static final class Fraction extends Number {
    private final long numerator;
    private final long denominator;

    Fraction(long numerator, long denominator) {
      this.numerator = numerator;
      this.denominator = denominator;
    }

    @Override
    public int intValue() {
      return (int) longValue();
    }

    @Override
    public long longValue() {
      return numerator / denominator;
    }

    @Override
    public float floatValue() {
      return (float) doubleValue();
    }

    @Override
    public double doubleValue() {
      return (double) numerator / denominator;
    }
  }
}
