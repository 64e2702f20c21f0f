package dev.runbus.writer;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.ByteString;
import com.google.protobuf.UnknownFieldSet;
import dev.runbus.proto.Control;
import dev.runbus.proto.HistoryItem;
import dev.runbus.proto.HistoryRecord;
import dev.runbus.proto.HistoryStep;
import dev.runbus.proto.Record;
import dev.runbus.proto.RecordInfo;
import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The hand-written history encoding must be byte for byte protobuf's. */
class HistoryEncoderTest {

  private final HistoryEncoder encoder = new HistoryEncoder();

  private void assertSameAsProtobuf(long num, Record record) {
    assertTrue(HistoryEncoder.handles(record));
    encoder.encode(num, record);
    byte[] ours = Arrays.copyOf(encoder.buffer(), encoder.length());
    byte[] theirs = record.toBuilder().setNum(num).build().toByteArray();
    assertArrayEquals(theirs, ours, record.toString());
  }

  @Test
  void typicalRowsMatch() {
    HistoryRecord.Builder h = HistoryRecord.newBuilder();
    h.addItem(HistoryItem.newBuilder().setKey("loss").setValueJson("0.25"));
    h.addItem(HistoryItem.newBuilder().setKey("_timestamp").setValueJson("1.7957349308532338E9"));
    h.addItem(HistoryItem.newBuilder().setKey("_step").setValueJson("0"));
    h.setStep(HistoryStep.newBuilder());
    assertSameAsProtobuf(1, Record.newBuilder().setHistory(h).build());
    h.setStep(HistoryStep.newBuilder().setNum(300));
    assertSameAsProtobuf(123_456_789_012L, Record.newBuilder().setHistory(h).build());
    assertSameAsProtobuf(0, Record.newBuilder().setHistory(h).build());
  }

  @Test
  void edgeCasesMatch() {
    HistoryRecord.Builder h = HistoryRecord.newBuilder();
    h.addItem(HistoryItem.getDefaultInstance()); // empty item
    h.addItem(HistoryItem.newBuilder().setKey("naïve ünïcode ✓").setValueJson("\"日本語 🚀\""));
    h.addItem(
        HistoryItem.newBuilder()
            .addNestedKey("a")
            .addNestedKey("b.c")
            .setValueJson("{\"x\": [1, 2]}"));
    h.addItem(HistoryItem.newBuilder().setKey("empty value"));
    h.addItem(HistoryItem.newBuilder().setKey("k".repeat(300)).setValueJson("v".repeat(70_000)));
    assertSameAsProtobuf(7, Record.newBuilder().setHistory(h).build());
    assertSameAsProtobuf(
        8, Record.newBuilder().setHistory(HistoryRecord.getDefaultInstance()).build());
  }

  @Test
  void longNestedKeysBeforeALongValueFitInAFreshBuffer() {
    Random random = new Random(7);
    for (int r = 0; r < 3_000; r++) {
      HistoryItem.Builder item = HistoryItem.newBuilder();
      int nested = 1 + random.nextInt(8);
      for (int i = 0; i < nested; i++) {
        item.addNestedKey("n".repeat(1 + random.nextInt(2_000)));
      }
      item.setValueJson("v".repeat(random.nextInt(12_000)));
      Record record =
          Record.newBuilder().setHistory(HistoryRecord.newBuilder().addItem(item)).build();
      HistoryEncoder fresh = new HistoryEncoder();
      fresh.encode(1, record);
      assertArrayEquals(
          record.toBuilder().setNum(1).build().toByteArray(),
          Arrays.copyOf(fresh.buffer(), fresh.length()));
    }
  }

  @Test
  void randomRowsMatch() {
    Random random = new Random(42);
    for (int r = 0; r < 2_000; r++) {
      HistoryRecord.Builder h = HistoryRecord.newBuilder();
      int items = random.nextInt(40);
      for (int i = 0; i < items; i++) {
        HistoryItem.Builder item = HistoryItem.newBuilder();
        if (random.nextInt(10) > 0) {
          item.setKey(randomString(random, random.nextInt(30)));
        } else {
          item.addNestedKey(randomString(random, 5)).addNestedKey(randomString(random, 5));
        }
        item.setValueJson(randomString(random, random.nextInt(random.nextBoolean() ? 30 : 3000)));
        h.addItem(item);
      }
      if (random.nextBoolean()) {
        h.setStep(
            HistoryStep.newBuilder()
                .setNum(random.nextBoolean() ? random.nextInt(200) : random.nextLong() >>> 1));
      }
      assertSameAsProtobuf(1 + random.nextInt(1 << 20), Record.newBuilder().setHistory(h).build());
    }
  }

  @Test
  void recordsWithMoreThanItemsAndAStepAreLeftToProtobuf() {
    HistoryRecord h =
        HistoryRecord.newBuilder()
            .addItem(HistoryItem.newBuilder().setKey("a").setValueJson("1"))
            .build();
    assertFalse(
        HistoryEncoder.handles(
            Record.newBuilder()
                .setHistory(h)
                .setControl(Control.newBuilder().setLocal(true))
                .build()));
    assertFalse(HistoryEncoder.handles(Record.newBuilder().setHistory(h).setUuid("u").build()));
    assertFalse(
        HistoryEncoder.handles(
            Record.newBuilder()
                .setHistory(h)
                .setInfo(RecordInfo.newBuilder().setStreamId("s"))
                .build()));
    assertFalse(
        HistoryEncoder.handles(
            Record.newBuilder()
                .setSummary(dev.runbus.proto.SummaryRecord.getDefaultInstance())
                .build()));
    HistoryItem withUnknown =
        HistoryItem.newBuilder()
            .setKey("a")
            .setUnknownFields(
                UnknownFieldSet.newBuilder()
                    .addField(
                        99,
                        UnknownFieldSet.Field.newBuilder()
                            .addLengthDelimited(ByteString.copyFromUtf8("x"))
                            .build())
                    .build())
            .build();
    assertFalse(
        HistoryEncoder.handles(
            Record.newBuilder()
                .setHistory(HistoryRecord.newBuilder().addItem(withUnknown))
                .build()));
  }

  private static String randomString(Random random, int length) {
    StringBuilder s = new StringBuilder(length);
    for (int i = 0; i < length; i++) {
      int kind = random.nextInt(20);
      if (kind == 0) {
        s.append((char) (0x80 + random.nextInt(0x700)));
      } else if (kind == 1) {
        s.appendCodePoint(0x1F600 + random.nextInt(50));
      } else {
        s.append((char) (0x20 + random.nextInt(0x5f)));
      }
    }
    return s.toString();
  }
}
