package dev.runbus.client;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.runbus.handler.RunHandler;
import dev.runbus.handler.RunState;
import dev.runbus.log.LogWriter;
import dev.runbus.proto.GetSummaryRequest;
import dev.runbus.proto.MetricRecord;
import dev.runbus.proto.MetricSummary;
import dev.runbus.proto.Record;
import dev.runbus.proto.Request;
import dev.runbus.proto.Response;
import dev.runbus.proto.RunExitRecord;
import dev.runbus.proto.SampledHistoryRequest;
import dev.runbus.writer.RecordWriter;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Rows sent as {@code log_rows} blocks must end exactly as the same rows sent one {@code
 * partial_history} request each: the same log, byte for byte, the same summary, sampled history
 * and counters. Random runs mix blockable rows with everything that is not (explicit steps,
 * commit=false, strings, nested values, changing keys) and with metric definitions arriving in the
 * middle.
 */
class RowBlockEquivalenceTest {

  @TempDir Path dir;

  private static final String[][] KEY_SETS = {
    {"loss", "acc"}, {"loss", "acc", "lr"}, {"acc", "loss"}, {"epoch"}, {}
  };

  @Test
  void blocksEndExactlyAsRowByRow() throws IOException {
    int blocksSeen = 0;
    for (int seed = 0; seed < 150; seed++) {
      List<Object> items = randomRun(new Random(seed));
      Outcome oneByOne = run(items, false, "one-" + seed);
      Outcome blocked = run(items, true, "block-" + seed);
      assertArrayEquals(oneByOne.log, blocked.log, "seed " + seed + ": the logs differ");
      assertEquals(oneByOne.summary, blocked.summary, "seed " + seed);
      assertEquals(oneByOne.sampled, blocked.sampled, "seed " + seed);
      assertEquals(oneByOne.stats, blocked.stats, "seed " + seed);
      blocksSeen += blocked.blocks;
    }
    assertTrue(blocksSeen > 500, "the runs must exercise blocks, saw " + blocksSeen);
  }

  private record Outcome(byte[] log, Response summary, Response sampled, String stats, int blocks) {}

  private Outcome run(List<Object> items, boolean useBlocks, String name) throws IOException {
    RunHandler handler = new RunHandler(new RunState(1_700_000_000.0, 0, () -> 1_700_000_100.0));
    Path file = dir.resolve(name + ".wandb");
    RowEncoder encoder = new RowEncoder();
    int blocks = 0;
    try (LogWriter log = LogWriter.create(file)) {
      RecordWriter writer = new RecordWriter(log);
      List<Record> out = new ArrayList<>();
      for (int i = 0; i < items.size(); ) {
        Object item = items.get(i);
        Record record;
        int end = i + 1;
        if (item instanceof Row row) {
          end = useBlocks ? RowEncoder.blockEnd(items, i) : i + 1;
          if (end - i > 1) {
            blocks++;
            record = encoder.encodeBlock(items, i, end);
          } else {
            record = encoder.encode(row);
          }
        } else {
          record = (Record) item;
        }
        handler.handle(record, out::add);
        i = end;
      }
      handler.handle(
          Record.newBuilder().setExit(RunExitRecord.newBuilder().setExitCode(0)).build(), out::add);
      for (Record record : out) {
        writer.write(record);
      }
    }
    Response summary =
        handler.answer(
            Request.newBuilder().setGetSummary(GetSummaryRequest.getDefaultInstance()).build(),
            r -> {});
    Response sampled =
        handler.answer(
            Request.newBuilder()
                .setSampledHistory(SampledHistoryRequest.getDefaultInstance())
                .build(),
            r -> {});
    return new Outcome(
        Files.readAllBytes(file), summary, sampled, handler.stats().toString(), blocks);
  }

  /** 300 log() calls and the odd metric definition, mostly runs of alike rows. */
  private static List<Object> randomRun(Random random) {
    List<Object> items = new ArrayList<>();
    String[] keys = KEY_SETS[0];
    double time = 1_700_000_000.0;
    long explicitStep = 0;
    for (int i = 0; i < 300; i++) {
      if (random.nextInt(10) == 0) {
        keys = KEY_SETS[random.nextInt(KEY_SETS.length)];
      }
      if (random.nextInt(120) == 0) {
        items.add(metric(random));
        continue;
      }
      Object[] values = new Object[keys.length];
      for (int k = 0; k < keys.length; k++) {
        values[k] = value(random);
      }
      long step = Row.NO_STEP;
      Boolean commit = null;
      switch (random.nextInt(25)) {
        case 0 -> commit = Boolean.FALSE;
        case 1 -> commit = Boolean.TRUE;
        case 2 -> step = explicitStep += random.nextInt(3);
        case 3 -> step = Math.max(0, explicitStep - 5); // usually lower: dropped
        default -> {}
      }
      time += 0.000_123 * (1 + random.nextInt(3));
      items.add(
          new Row(keys.clone(), values, keys.length, step, commit, time, time - 1_700_000_000.0));
    }
    return items;
  }

  private static Object value(Random random) {
    return switch (random.nextInt(40)) {
      case 0 -> "text";
      case 1 -> Map.of("nested", 1.5);
      case 2 -> List.of(1, 2);
      case 3 -> Float.NaN;
      case 4 -> Double.NEGATIVE_INFINITY;
      case 5 -> random.nextBoolean();
      case 6 -> random.nextLong();
      case 7, 8, 9 -> random.nextInt(100);
      case 10 -> random.nextDouble();
      default -> random.nextFloat() * 10;
    };
  }

  private static Record metric(Random random) {
    MetricRecord.Builder metric = MetricRecord.newBuilder();
    switch (random.nextInt(3)) {
      case 0 -> metric.setName("loss").setSummary(MetricSummary.newBuilder().setMin(true));
      case 1 -> metric.setGlobName("a*").setStepMetric("epoch");
      default -> metric.setName("acc").setSummary(MetricSummary.newBuilder().setMax(true));
    }
    return Record.newBuilder().setMetric(metric).build();
  }
}
