package dev.runbus.server.store.history;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The binary forms read back what was written. */
class CodecTest {
  @Test
  void blocksKeepLinesStepsValuesAndWhichWereIntegers() {
    Column c = new Column(4);
    double[] values = {0.5, Double.NaN, 3, Double.POSITIVE_INFINITY, -7, 1e300, 2.5e-9, 9, 10};
    long[] lines = {0, 1, 5, 6, 100, 101, 1_000_000, 1_000_001, 1_000_002};
    long[] steps = {-5, 0, 7, 6, 100, Long.MAX_VALUE >> 11, 3, 4, 4};
    boolean[] ints = {false, false, true, false, true, false, false, true, true};
    for (int i = 0; i < values.length; i++) {
      c.add(lines[i], steps[i], values[i], ints[i]);
    }
    for (int[] range : new int[][] {{0, 9}, {2, 3}, {4, 5}, {7, 9}}) {
      Column back = new Column(1);
      BlockCodec.decode(BlockCodec.encode(c, range[0], range[1]), back);
      assertEquals(range[1] - range[0], back.size);
      assertArrayEquals(
          Arrays.copyOfRange(lines, range[0], range[1]), Arrays.copyOf(back.lines, back.size));
      assertArrayEquals(
          Arrays.copyOfRange(steps, range[0], range[1]), Arrays.copyOf(back.steps, back.size));
      assertArrayEquals(
          Arrays.copyOfRange(values, range[0], range[1]), Arrays.copyOf(back.values, back.size));
      assertArrayEquals(
          Arrays.copyOfRange(ints, range[0], range[1]), Arrays.copyOf(back.ints, back.size));
    }
  }

  @Test
  void chunksKeepEveryLineExactly() {
    List<String> lines = new ArrayList<>();
    lines.add("{\"a\": 1}");
    lines.add("");
    lines.add("{\"text\": \"two\nlines\", \"é\": \"日本\", \"emoji\": \"\uD83D\uDE00\"}");
    lines.add("x".repeat(200_000));
    assertEquals(lines, ChunkCodec.decode(ChunkCodec.encode(lines, 0, lines.size())));
    assertEquals(lines.subList(1, 3), ChunkCodec.decode(ChunkCodec.encode(lines, 1, 3)));
  }

  @Test
  void metricLinesAreStoredAsSkeletonsAndNumbersAndReadBackExactly() {
    List<String> lines = new ArrayList<>();
    for (int i = 0; i < 1000; i++) {
      lines.add(
          "{\"loss\": " + (0.5 / (i + 1)) + ", \"acc-top1\": -" + i + "e-05, \"e1\": 1E+3,"
              + " \"_step\": " + i + ", \"_timestamp\": 1700000000." + i + "}");
    }
    lines.add("");
    lines.add("123");
    lines.add("-");
    lines.add("{\"a\":1}");
    lines.add("{\"name\": \"run-7 é 日本 \uD83D\uDE00\", \"x\": [1,2,-3.5e-7], \"y\": null}");
    for (int i = 0; i < 100; i++) {
      lines.add("{\"k" + "q".repeat(i % 70) + "\": " + i + "}"); // more shapes than a chunk keeps
    }
    byte[] body = ChunkCodec.encode(lines, 0, lines.size());
    assertEquals(ChunkCodec.SKELETONS, body[0]);
    assertEquals(lines, ChunkCodec.decode(body));
    assertEquals(lines.subList(3, 9), ChunkCodec.decode(ChunkCodec.encode(lines, 3, 9)));
    int plain = lines.stream().mapToInt(String::length).sum();
    assertTrue(body.length < plain / 2, body.length + " bytes for " + plain + " characters");
  }

  @Test
  void linesOfTheirOwnShapesAreDeflated() {
    List<String> lines = new ArrayList<>();
    for (int i = 0; i < 1000; i++) {
      StringBuilder word = new StringBuilder();
      for (long v = i * 7919L + 100_000; v > 0; v /= 26) {
        word.append((char) ('a' + v % 26));
      }
      lines.add("{\"text\": \"" + word.toString().repeat(6) + "\"}");
    }
    byte[] body = ChunkCodec.encode(lines, 0, lines.size());
    assertNotEquals(ChunkCodec.SKELETONS, body[0]);
    assertEquals(lines, ChunkCodec.decode(body));

    List<String> withNul = List.of("{\"a\": 1}", "a NUL \0 is not a run", "{\"a\": 2}");
    byte[] deflated = ChunkCodec.encode(withNul, 0, withNul.size());
    assertNotEquals(ChunkCodec.SKELETONS, deflated[0]);
    assertEquals(withNul, ChunkCodec.decode(deflated));
  }

  @Test
  void linesFlattenNestedObjectsButNotTypedValues() {
    LineParser p = new LineParser();
    p.parse(
        "{\"loss\": 0.5, \"n\": 3, \"big\": 12345678901234567890, \"huge\": 9007199254740993,"
            + " \"s\": \"x\", \"b\": true, \"z\": null, \"arr\": [1, {\"q\": 2}], \"val\":"
            + " {\"acc\": NaN, \"deep\": {\"x\": -Infinity}}, \"img\": {\"path\": \"a.png\","
            + " \"_type\": \"image-file\", \"w\": 3}, \"_step\": 42}",
        7);
    assertEquals(42, p.step);
    List<String> got = new ArrayList<>();
    for (int i = 0; i < p.size; i++) {
      got.add(p.keys[i] + "=" + p.kinds[i] + ":" + p.values[i]);
    }
    assertEquals(
        List.of(
            "loss=1:0.5",
            "n=2:3.0",
            "big=3:1.2345678901234567E19",
            "huge=3:9.007199254740992E15",
            "s=4:0.0",
            "b=4:0.0",
            "z=4:0.0",
            "arr=4:0.0",
            "val.acc=1:NaN",
            "val.deep.x=1:-Infinity",
            "img=4:0.0",
            "_step=2:42.0"),
        got);

    p.parse("{\"a\": 1, \"_step\": \"seven\"}", 7);
    assertEquals(false, p.hasStep, "a _step that is not an integer leaves the line number as x");
    p.parse("{\"_step\": 2.5}", 7);
    assertEquals(false, p.hasStep);
  }
}
