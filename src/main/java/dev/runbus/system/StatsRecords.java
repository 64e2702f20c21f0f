package dev.runbus.system;

import com.google.protobuf.Timestamp;
import dev.runbus.json.JsonWriter;
import dev.runbus.proto.Record;
import dev.runbus.proto.StatsItem;
import dev.runbus.proto.StatsRecord;
import java.util.Map;

/** An interval's values as the StatsRecord W&B logs: one item per key, the value as JSON. */
public final class StatsRecords {

  private StatsRecords() {}

  public static Record of(Map<String, Double> values, long epochMillis) {
    StatsRecord.Builder stats =
        StatsRecord.newBuilder()
            .setStatsType(StatsRecord.StatsType.SYSTEM)
            .setTimestamp(
                Timestamp.newBuilder()
                    .setSeconds(Math.floorDiv(epochMillis, 1000))
                    .setNanos((int) Math.floorMod(epochMillis, 1000) * 1_000_000));
    values.forEach(
        (key, value) ->
            stats.addItem(
                StatsItem.newBuilder().setKey(key).setValueJson(JsonWriter.numberToJson(value))));
    return Record.newBuilder().setStats(stats).build();
  }
}
