package dev.runbus.server.store.history;

import dev.runbus.server.store.RunData;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

/**
 * The history layout of docs/server.md ("History storage") on SQLite or PostgreSQL, through plain
 * SQL both databases read the same way. It keeps nothing between calls: every append and read works
 * from the database, so nothing grows in the heap with the number or length of runs, and a read
 * holds at most a page of rows whatever the run's size.
 */
public final class JdbcHistoryStore implements HistoryStore {
  private static final int CHUNK_PAGE = 4;
  private static final int PARALLEL_FROM_LINES = 2 * ChunkTable.MAX_LINES;
  private static final int SUMMARY_PAGE = 2048;
  private static final int CUT_BLOCKS_PER_READ = 256;

  @Override
  public void append(Connection c, long runId, long firstLine, List<String> lines)
      throws SQLException {
    if (lines.isEmpty()) {
      return;
    }
    ChunkTable.Chunk last = ChunkTable.last(c, runId);
    long stored = last == null ? 0 : last.endLine();
    if (stored != firstLine) {
      throw new SQLException(
          "run "
              + runId
              + " has "
              + stored
              + " history lines; lines from "
              + firstLine
              + " would leave a gap or overlap");
    }
    // compressing the lines costs about as much as parsing them: a large post does both at once
    ChunkAppend chunks = new ChunkAppend(last, firstLine, lines);
    CompletableFuture<ChunkAppend> encoded =
        lines.size() >= PARALLEL_FROM_LINES
            ? CompletableFuture.supplyAsync(chunks::encode)
            : CompletableFuture.completedFuture(chunks.encode());
    HistoryBatch batch = HistoryBatch.of(firstLine, lines);
    try {
      encoded.join().write(c, runId);
    } catch (CompletionException e) {
      throw e.getCause() instanceof RuntimeException r ? r : e;
    }
    appendColumns(c, runId, batch);
  }

  private static void appendColumns(Connection c, long runId, HistoryBatch batch)
      throws SQLException {
    Map<String, KeyTable.Key> keys = KeyTable.load(c, runId, batch.kinds.keySet());
    int nextId = -1;
    List<BlockTable.Block> inserts = new ArrayList<>();
    List<BlockTable.Block> replaces = new ArrayList<>();
    for (Map.Entry<String, Integer> e : batch.kinds.entrySet()) {
      String name = e.getKey();
      KeyTable.Key k = keys.get(name);
      if (k == null) {
        if (nextId < 0) {
          nextId = Math.max(KeyTable.STEP_KEY_ID, KeyTable.maxId(c, runId)) + 1;
        }
        k = new KeyTable.Key(name);
        k.id = name.equals(HistoryJson.STEP) ? KeyTable.STEP_KEY_ID : nextId++;
        keys.put(name, k);
      }
      if ((k.kinds | e.getValue()) != k.kinds) {
        k.kinds |= e.getValue();
        k.changed = true;
      }
      Column col = batch.columns.get(name);
      if (col != null) {
        addValues(c, runId, k, col, inserts, replaces);
      }
    }
    BlockTable.insert(c, runId, inserts);
    for (BlockTable.Block b : replaces) {
      BlockTable.replace(c, runId, b);
    }
    KeyTable.save(c, runId, keys.values());
  }

  /** Fills the key's open block first, then adds full blocks and, last, a new open one. */
  private static void addValues(
      Connection c,
      long runId,
      KeyTable.Key k,
      Column col,
      List<BlockTable.Block> inserts,
      List<BlockTable.Block> replaces)
      throws SQLException {
    k.changed = true;
    k.valueCount += col.size;
    for (int i = 0; i < col.size; i++) {
      k.minStep = Math.min(k.minStep, col.steps[i]);
      k.maxStep = Math.max(k.maxStep, col.steps[i]);
    }
    int pos = 0;
    if (k.openBlock != null) {
      Column open = new Column(BlockTable.MAX_VALUES);
      BlockCodec.decode(BlockTable.data(c, runId, k.id, k.openBlock), open);
      pos = Math.min(BlockTable.MAX_VALUES - open.size, col.size);
      open.addAll(col, 0, pos);
      replaces.add(BlockTable.Block.of(k.id, open, 0, open.size));
      k.openBlock = open.size < BlockTable.MAX_VALUES ? open.lines[0] : null;
    }
    while (pos < col.size) {
      int n = Math.min(BlockTable.MAX_VALUES, col.size - pos);
      inserts.add(BlockTable.Block.of(k.id, col, pos, pos + n));
      k.openBlock = n < BlockTable.MAX_VALUES ? col.lines[pos] : null;
      pos += n;
    }
  }

  @Override
  public List<String> tail(Connection c, long runId, int n) throws SQLException {
    if (n <= 0) {
      return List.of();
    }
    long count = ChunkTable.lineCount(c, runId);
    List<String> tail = new ArrayList<>((int) Math.min(n, count));
    readLines(c, runId, Math.max(0, count - n), count, (line, text) -> tail.add(text));
    return tail;
  }

  @Override
  public List<String> keys(Connection c, long runId) throws SQLException {
    List<String> names = KeyTable.names(c, runId);
    Collections.sort(names);
    return names;
  }

  @Override
  public void scan(
      Connection c, long runId, List<String> keys, long fromLine, long limit, RunData.LineSink sink)
      throws SQLException {
    long from = Math.max(0, fromLine);
    if (limit <= 0) {
      return;
    }
    long end =
        Math.min(
            ChunkTable.lineCount(c, runId),
            limit > Long.MAX_VALUE - from ? Long.MAX_VALUE : from + limit);
    if (from >= end) {
      return;
    }
    if (keys.isEmpty()) {
      readLines(c, runId, from, end, sink);
      return;
    }
    Set<String> distinct = new LinkedHashSet<>(keys);
    distinct.remove(HistoryJson.STEP);
    List<String> wanted = new ArrayList<>(distinct);
    Set<String> lookup = new HashSet<>(wanted);
    lookup.add(HistoryJson.STEP);
    Map<String, KeyTable.Key> stored = KeyTable.load(c, runId, lookup);
    boolean columnsSuffice =
        stored.containsKey(HistoryJson.STEP)
            && wanted.stream().allMatch(k -> stored.containsKey(k) && stored.get(k).numbersOnly());
    if (columnsSuffice) {
      scanColumns(c, runId, wanted, stored, from, end, sink);
    } else {
      LineReducer reducer = new LineReducer(wanted);
      readLines(c, runId, from, end, (line, text) -> sink.line(line, reducer.reduce(text, line)));
    }
  }

  /** Lines {@code from .. end - 1} as sent, a page of chunks at a time. */
  private static void readLines(
      Connection c, long runId, long from, long end, RunData.LineSink sink) throws SQLException {
    long after = from - ChunkTable.MAX_LINES; // the chunk holding `from` starts above this
    while (true) {
      List<ChunkTable.Chunk> page = ChunkTable.page(c, runId, after, CHUNK_PAGE);
      for (ChunkTable.Chunk chunk : page) {
        if (chunk.firstLine() >= end) {
          return;
        }
        if (chunk.endLine() > from) {
          List<String> lines = ChunkCodec.decode(chunk.body());
          for (int j = 0; j < lines.size(); j++) {
            long line = chunk.firstLine() + j;
            if (line >= from && line < end) {
              sink.line(line, lines.get(j));
            }
          }
        }
        after = chunk.firstLine();
      }
      if (page.size() < CHUNK_PAGE) {
        return;
      }
    }
  }

  /** Rebuilds reduced lines from the column blocks of numbers-only keys, without the raw lines. */
  private static void scanColumns(
      Connection c,
      long runId,
      List<String> wanted,
      Map<String, KeyTable.Key> stored,
      long from,
      long end,
      RunData.LineSink sink)
      throws SQLException {
    ColumnCursor steps = new ColumnCursor(c, runId, KeyTable.STEP_KEY_ID, from);
    ColumnCursor[] cursors = new ColumnCursor[wanted.size()];
    String[] prefixes = new String[wanted.size()];
    for (int i = 0; i < cursors.length; i++) {
      cursors[i] = new ColumnCursor(c, runId, stored.get(wanted.get(i)).id, from);
      StringBuilder p = new StringBuilder(",");
      HistoryJson.appendString(p, wanted.get(i));
      prefixes[i] = p.append(':').toString();
    }
    StringBuilder out = new StringBuilder(128);
    for (long line = from; line < end; line++) {
      out.setLength(0);
      out.append("{\"_step\":").append(steps.seek(line) ? steps.step() : line);
      for (int i = 0; i < cursors.length; i++) {
        if (cursors[i].seek(line)) {
          out.append(prefixes[i]);
          HistoryJson.appendDouble(out, cursors[i].value(), cursors[i].isInt());
        }
      }
      sink.line(line, out.append('}').toString());
    }
  }

  @Override
  public RunData.SampledHistory sample(
      Connection c, long runId, List<String> keys, int points, String xKey) throws SQLException {
    RunData.SampledHistory sampled = sample(c, runId, keys, points);
    if (xKey == null || xKey.equals(HistoryJson.STEP)) {
      return sampled;
    }
    KeyTable.Key x = KeyTable.load(c, runId, List.of(xKey)).get(xKey);
    return new RunData.SampledHistory(
        XValues.attach(c, runId, x == null ? -1 : x.id, sampled.series()), sampled.rowsScanned());
  }

  @Override
  public RunData.SampledHistory sample(Connection c, long runId, List<String> keys, int points)
      throws SQLException {
    int buckets = Math.max(1, points / 2);
    List<String> wanted = new ArrayList<>(new LinkedHashSet<>(keys));
    Map<String, KeyTable.Key> stored = KeyTable.load(c, runId, wanted);
    List<RunData.SampledHistory.Series> series = new ArrayList<>(wanted.size());
    for (String name : wanted) {
      KeyTable.Key k = stored.get(name);
      if (k == null || (k.kinds & KeyTable.NUMBERS) == 0 || k.valueCount == 0) {
        series.add(new RunData.SampledHistory.Series(name, new long[0], new double[0]));
      } else if (k.valueCount <= points) {
        series.add(everyValue(c, runId, k));
      } else {
        series.add(bucketed(c, runId, k, buckets));
      }
    }
    return new RunData.SampledHistory(series, ChunkTable.lineCount(c, runId));
  }

  /** A key with no more values than points asked: all of them but NaN, in step order. */
  private static RunData.SampledHistory.Series everyValue(Connection c, long runId, KeyTable.Key k)
      throws SQLException {
    Column all = new Column((int) k.valueCount);
    long next = 0;
    while (true) {
      int before = all.size;
      int blocks = BlockTable.decodePage(c, runId, k.id, next, ColumnCursor.PAGE_BLOCKS, all);
      if (blocks < ColumnCursor.PAGE_BLOCKS || all.size == before) {
        break;
      }
      next = all.lines[all.size - 1] + 1;
    }
    Integer[] order = new Integer[all.size];
    int n = 0;
    for (int i = 0; i < all.size; i++) {
      if (!Double.isNaN(all.values[i])) {
        order[n++] = i;
      }
    }
    Integer[] kept = java.util.Arrays.copyOf(order, n);
    // lines are in order; steps usually are too, but a client may send them out of order
    java.util.Arrays.sort(
        kept,
        (a, b) ->
            all.steps[a] != all.steps[b]
                ? Long.compare(all.steps[a], all.steps[b])
                : Long.compare(all.lines[a], all.lines[b]));
    long[] steps = new long[n];
    double[] values = new double[n];
    long[] lines = new long[n];
    for (int i = 0; i < n; i++) {
      steps[i] = all.steps[kept[i]];
      values[i] = all.values[kept[i]];
      lines[i] = all.lines[kept[i]];
    }
    return new RunData.SampledHistory.Series(k.name, steps, values, lines, null);
  }

  /**
   * The min/max buckets of a key: a block whose steps fall in one bucket counts through its
   * summary; only the blocks a bucket boundary cuts through are decoded.
   */
  private static RunData.SampledHistory.Series bucketed(
      Connection c, long runId, KeyTable.Key k, int buckets) throws SQLException {
    MinMaxBuckets b = new MinMaxBuckets(buckets, k.minStep, k.maxStep);
    List<Long> cut = new ArrayList<>();
    long after = -1;
    while (true) {
      List<BlockSummary> page = BlockTable.summaries(c, runId, k.id, after, SUMMARY_PAGE);
      for (BlockSummary s : page) {
        if (b.bucket(s.minStep()) == b.bucket(s.maxStep())) {
          b.add(s);
        } else {
          cut.add(s.firstLine());
          if (cut.size() == CUT_BLOCKS_PER_READ) {
            foldBlocks(c, runId, k.id, cut, b);
          }
        }
        after = s.firstLine();
      }
      if (page.size() < SUMMARY_PAGE) {
        break;
      }
    }
    foldBlocks(c, runId, k.id, cut, b);
    return b.series(k.name);
  }

  private static void foldBlocks(
      Connection c, long runId, int keyId, List<Long> firstLines, MinMaxBuckets b)
      throws SQLException {
    if (firstLines.isEmpty()) {
      return;
    }
    Column values = new Column(firstLines.size() * BlockTable.MAX_VALUES);
    BlockTable.decodeBlocks(c, runId, keyId, firstLines, values);
    for (int i = 0; i < values.size; i++) {
      b.add(values.steps[i], values.lines[i], values.values[i]);
    }
    firstLines.clear();
  }

  @Override
  public void deleteRun(Connection c, long runId) throws SQLException {
    ChunkTable.delete(c, runId);
    BlockTable.delete(c, runId);
    KeyTable.delete(c, runId);
  }
}
