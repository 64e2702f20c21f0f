package dev.runbus.ranks;

import dev.runbus.proto.RankIdentity;
import dev.runbus.proto.Record;
import dev.runbus.proto.StatsItem;
import dev.runbus.proto.StatsRecord;
import dev.runbus.system.StatsKeys;

/**
 * A rank's system metrics in a run several ranks write: each key gets W&B's label suffix, {@code
 * cpu/l:rank1}, so every rank's machine stays its own series (issue 9's per-rank system metrics).
 * Unlike the ranks' own keys, these are labelled whatever {@code label_keys} says: two machines'
 * CPU merged into one series would mean nothing. A run with one writer keeps W&B's plain keys.
 */
final class RankStats {

  private RankStats() {}

  static Record labelled(RankIdentity rank, Record record) {
    if (rank.getWorldSize() <= 1) {
      return record;
    }
    String label = "rank" + rank.getRank();
    StatsRecord.Builder stats = record.getStats().toBuilder().clearItem();
    for (StatsItem item : record.getStats().getItemList()) {
      stats.addItem(item.toBuilder().setKey(StatsKeys.labelled(item.getKey(), label)));
    }
    return record.toBuilder().setStats(stats).build();
  }
}
