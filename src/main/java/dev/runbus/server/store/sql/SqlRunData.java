package dev.runbus.server.store.sql;

import dev.runbus.server.store.RunData;
import dev.runbus.server.store.history.HistoryStore;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;

/**
 * Reading a run's lines: events and console from run_lines, history through the history layout.
 * Methods take the run's id, which callers got from a lookup that checked the viewer.
 */
final class SqlRunData implements RunData {
  private final Database db;
  private final HistoryStore history;

  SqlRunData(Database db, HistoryStore history) {
    this.db = db;
    this.history = history;
  }

  @Override
  public List<String> historyKeys(long runId) {
    return db.read(c -> history.keys(c, runId));
  }

  @Override
  public List<String> historyTail(long runId, int n) {
    return db.read(c -> history.tail(c, runId, n));
  }

  @Override
  public List<String> eventsTail(long runId, int n) {
    return db.read(c -> RunLines.tail(c, runId, RunLines.EVENTS, n));
  }

  @Override
  public void scanHistory(long runId, List<String> keys, long fromLine, long limit, LineSink sink) {
    stream(c -> history.scan(c, runId, keys, fromLine, limit, sink));
  }

  @Override
  public SampledHistory sampleHistory(long runId, List<String> keys, int points) {
    return db.read(c -> history.sample(c, runId, keys, points));
  }

  @Override
  public SampledHistory sampleHistory(long runId, List<String> keys, int points, String xKey) {
    return db.read(c -> history.sample(c, runId, keys, points, xKey));
  }

  @Override
  public void scanEvents(long runId, long fromLine, long limit, LineSink sink) {
    stream(c -> RunLines.scan(c, runId, RunLines.EVENTS, fromLine, limit, sink));
  }

  @Override
  public void scanConsole(long runId, long fromLine, long limit, LineSink sink) {
    stream(c -> RunLines.scan(c, runId, RunLines.CONSOLE, fromLine, limit, sink));
  }

  /** A read that hands its rows to a sink as they come instead of returning them. */
  @FunctionalInterface
  private interface Scan {
    void run(Connection c) throws SQLException;
  }

  private void stream(Scan scan) {
    db.read(
        c -> {
          scan.run(c);
          return null;
        });
  }
}
