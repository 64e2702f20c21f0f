package dev.runbus.server.store.history;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;

/**
 * The chunks one append writes: the run's last chunk refilled when it still takes lines (so small
 * posts add no rows), then new chunks of up to {@link ChunkTable#MAX_LINES}. Encoding is pure
 * computation, so it may run on another thread while the lines are being parsed.
 */
final class ChunkAppend {
  private final ChunkTable.Chunk last;
  private final long firstLine;
  private final List<String> lines;
  private ChunkTable.Chunk refilled;
  private final List<ChunkTable.Chunk> added = new ArrayList<>();

  /** {@code last}: the run's last chunk, its body set when it still takes lines; or null. */
  ChunkAppend(ChunkTable.Chunk last, long firstLine, List<String> lines) {
    this.last = last;
    this.firstLine = firstLine;
    this.lines = lines;
  }

  ChunkAppend encode() {
    int pos = 0;
    if (last != null && last.body() != null) {
      List<String> merged = new ArrayList<>(ChunkCodec.decode(last.body()));
      pos = Math.min(ChunkTable.MAX_LINES - merged.size(), lines.size());
      merged.addAll(lines.subList(0, pos));
      refilled =
          new ChunkTable.Chunk(
              last.firstLine(), merged.size(), ChunkCodec.encode(merged, 0, merged.size()));
    }
    while (pos < lines.size()) {
      int n = Math.min(ChunkTable.MAX_LINES, lines.size() - pos);
      added.add(new ChunkTable.Chunk(firstLine + pos, n, ChunkCodec.encode(lines, pos, pos + n)));
      pos += n;
    }
    return this;
  }

  void write(Connection c, long runId) throws SQLException {
    if (refilled != null) {
      ChunkTable.replace(c, runId, refilled);
    }
    ChunkTable.insert(c, runId, added);
  }
}
