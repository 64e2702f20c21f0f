package dev.runbus.server.store.sql;

import com.fasterxml.jackson.databind.JsonNode;
import dev.runbus.server.store.BadInputException;
import dev.runbus.server.store.FileStreamPost;
import dev.runbus.server.store.FileStreamPost.Chunk;
import dev.runbus.server.store.FileStreams;
import dev.runbus.server.store.OffsetGapException;
import dev.runbus.server.store.RunInfo;
import dev.runbus.server.store.RunKey;
import dev.runbus.server.store.User;
import dev.runbus.server.store.history.HistoryStore;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Types;
import java.util.List;
import java.util.Map;

/**
 * FileStream posts, each in one write transaction: the run's row is read (and locked, on
 * PostgreSQL), every offset is checked before anything is written, then lines, counts, summary,
 * state and heartbeat are written and committed together. Files other than the four W&B streams
 * are ignored (W&B's clients send only those); {@code uploaded} is ignored too, since an upload
 * is recorded when its PUT completes.
 */
final class SqlFileStreams implements FileStreams {
  static final String HISTORY = "wandb-history.jsonl";
  static final String EVENTS = "wandb-events.jsonl";
  static final String SUMMARY = "wandb-summary.json";
  static final String CONSOLE = "output.log";

  private final Database db;
  private final HistoryStore history;

  SqlFileStreams(Database db, HistoryStore history) {
    this.db = db;
    this.history = history;
  }

  @Override
  public Applied apply(User viewer, RunKey key, FileStreamPost post) {
    Map<String, Chunk> files = post.files() == null ? Map.of() : post.files();
    Chunk historyChunk = checked(HISTORY, files.get(HISTORY));
    Chunk eventsChunk = checked(EVENTS, files.get(EVENTS));
    Chunk consoleChunk = checked(CONSOLE, files.get(CONSOLE));
    Chunk summaryChunk = checked(SUMMARY, files.get(SUMMARY));
    String summaryText = lastLine(summaryChunk);
    JsonNode summary = summaryText == null ? null : JsonTexts.object(SUMMARY, summaryText);
    long now = System.currentTimeMillis();
    return db.write(
        c -> {
          RunInfo run = RunRows.findForUpdate(c, db.dialect(), viewer, key);
          // every gap is found before the first write, though the rollback would undo one anyway
          checkGap(HISTORY, historyChunk, run.historyLineCount());
          checkGap(EVENTS, eventsChunk, run.eventsLineCount());
          checkGap(CONSOLE, consoleChunk, run.logLineCount());

          long historyLines = run.historyLineCount();
          List<String> newHistory = newLines(historyChunk, historyLines);
          if (!newHistory.isEmpty()) {
            history.append(c, run.id(), historyLines, newHistory);
            historyLines += newHistory.size();
          }
          long eventsLines = run.eventsLineCount();
          List<String> newEvents = newLines(eventsChunk, eventsLines);
          if (!newEvents.isEmpty()) {
            RunLines.append(c, run.id(), RunLines.EVENTS, eventsLines, newEvents);
            eventsLines += newEvents.size();
          }
          long logLines = run.logLineCount();
          if (consoleChunk != null && !consoleChunk.lines().isEmpty()) {
            RunLines.put(c, run.id(), RunLines.CONSOLE, consoleChunk.offset(), consoleChunk.lines());
            logLines = Math.max(logLines, consoleChunk.offset() + consoleChunk.lines().size());
          }
          if (summary != null) {
            SqlRuns.replaceSummary(c, run.id(), summaryText, summary);
          }
          String state = updateRun(c, run, post, historyLines, eventsLines, logLines, now);
          boolean changed =
              historyLines != run.historyLineCount()
                  || eventsLines != run.eventsLineCount()
                  || (consoleChunk != null && !consoleChunk.lines().isEmpty())
                  || summary != null
                  || !state.equals(run.state());
          return new Applied(
              run.id(),
              run.stopRequested(),
              historyLines,
              eventsLines,
              logLines,
              run.state(),
              state,
              changed,
              now);
        });
  }

  /** The chunk, with its offset and lines checked; null when the post has none for the file. */
  private static Chunk checked(String file, Chunk chunk) {
    if (chunk == null) {
      return null;
    }
    if (chunk.offset() < 0) {
      throw new BadInputException(file + ": negative offset " + chunk.offset());
    }
    if (chunk.lines() == null) {
      throw new BadInputException(file + ": no content");
    }
    for (String line : chunk.lines()) {
      if (line == null) {
        throw new BadInputException(file + ": a line is null");
      }
      Names.checkText(file + " line", line);
    }
    return chunk;
  }

  private static String lastLine(Chunk chunk) {
    return chunk == null || chunk.lines().isEmpty()
        ? null
        : chunk.lines().get(chunk.lines().size() - 1);
  }

  private static void checkGap(String file, Chunk chunk, long stored) {
    if (chunk != null && !chunk.lines().isEmpty() && chunk.offset() > stored) {
      throw new OffsetGapException(file, stored, chunk.offset());
    }
  }

  /** The lines of an append-only chunk not stored yet: a re-sent batch yields none. */
  private static List<String> newLines(Chunk chunk, long stored) {
    if (chunk == null) {
      return List.of();
    }
    long skip = stored - chunk.offset();
    if (skip >= chunk.lines().size()) {
      return List.of();
    }
    return chunk.lines().subList((int) skip, chunk.lines().size());
  }

  /** Writes counts, heartbeat, state and exit code; returns the run's state after the post. */
  private static String updateRun(
      Connection c,
      RunInfo run,
      FileStreamPost post,
      long historyLines,
      long eventsLines,
      long logLines,
      long now)
      throws SQLException {
    String state = null;
    Integer exitCode = null;
    if (post.complete()) {
      exitCode = post.exitcode() == null ? 0 : post.exitcode();
      // W&B's rule: a run that said it was being preempted and then ends non-zero (SIGTERM's 143)
      // was preempted, not failed, so a requeued job can resume it; ending with 0, it finished
      boolean preempting = post.preempting() || "preempted".equals(run.state());
      state = exitCode == 0 ? "finished" : preempting ? "preempted" : "failed";
    } else if (post.preempting()) {
      state = "preempted";
    } else {
      // a run marked crashed for its silence that speaks again is alive
      state = "crashed".equals(run.state()) ? "running" : run.state();
    }
    try (PreparedStatement ps =
        c.prepareStatement(
            "UPDATE runs SET history_lines = ?, events_lines = ?, log_lines = ?,"
                + " heartbeat_at = ?, updated_at = ?, state = ?,"
                + " exit_code = CASE WHEN ? THEN ? ELSE exit_code END"
                + " WHERE id = ?")) {
      ps.setLong(1, historyLines);
      ps.setLong(2, eventsLines);
      ps.setLong(3, logLines);
      ps.setLong(4, now);
      ps.setLong(5, now);
      ps.setString(6, state);
      ps.setBoolean(7, exitCode != null);
      if (exitCode == null) {
        ps.setNull(8, Types.INTEGER);
      } else {
        ps.setInt(8, exitCode);
      }
      ps.setLong(9, run.id());
      ps.executeUpdate();
    }
    return state;
  }
}
