package dev.runbus.server.store.history;

import dev.runbus.server.store.RunData;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;

/**
 * A run's history, laid out for reading (see docs/server.md). Every method works on the caller's
 * connection and never commits: appends join the FileStream post's transaction, so a post is stored
 * whole or not at all.
 */
public interface HistoryStore {

  /**
   * Stores history lines {@code firstLine .. firstLine + lines.size() - 1} of a run. The caller has
   * checked offsets: the lines are new and follow the stored ones without a gap. Lines are W&B's
   * history JSON objects and may hold bare NaN and Infinity.
   */
  void append(Connection c, long runId, long firstLine, List<String> lines) throws SQLException;

  /** The last {@code n} lines, oldest first, as they were sent. */
  List<String> tail(Connection c, long runId, int n) throws SQLException;

  /** The keys the run has logged, sorted. */
  List<String> keys(Connection c, long runId) throws SQLException;

  /** See {@link RunData#scanHistory}. */
  void scan(
      Connection c, long runId, List<String> keys, long fromLine, long limit, RunData.LineSink sink)
      throws SQLException;

  /** See {@link RunData#sampleHistory}. */
  RunData.SampledHistory sample(Connection c, long runId, List<String> keys, int points)
      throws SQLException;

  /** See {@link RunData#sampleHistory(long, List, int, String)}. */
  RunData.SampledHistory sample(
      Connection c, long runId, List<String> keys, int points, String xKey) throws SQLException;

  /** Removes everything of a run (its rows carry no foreign key, for ingest speed). */
  void deleteRun(Connection c, long runId) throws SQLException;
}
