package dev.runbus.server.store.sql;

import dev.runbus.server.store.BadInputException;
import dev.runbus.server.store.RunInfo;
import dev.runbus.server.store.Runs.RunFilter;
import dev.runbus.server.store.Runs.RunPage;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * One page of a project's runs: filters, a sort, and an offset cursor, as SQL both databases run.
 * Sorting by a summary metric joins the run's flattened summary numbers (run_summary_values);
 * runs without that number, or with NaN there, come last either way. Ties break on the run's id,
 * so pages neither repeat nor skip a run.
 */
final class RunQuery {
  private static final Map<String, String> COLUMN_SORTS =
      Map.of("created_at", "r.created_at", "name", "r.name", "state", "r.state");

  private final RunFilter filter;

  private RunQuery(RunFilter filter) {
    this.filter = filter;
  }

  static RunQuery of(RunFilter filter) {
    if (filter.limit() < 1 || filter.limit() > SqlRuns.MAX_PAGE) {
      throw new BadInputException("page size must be 1.." + SqlRuns.MAX_PAGE);
    }
    if (filter.cursor() < 0) {
      throw new BadInputException("cursor must not be negative");
    }
    if (filter.sortBy() != null && filter.sortBy().isEmpty()) {
      throw new BadInputException("empty sort key");
    }
    return new RunQuery(filter);
  }

  RunPage page(Connection c, long projectId) throws SQLException {
    List<Object> params = new ArrayList<>();
    String where = where(projectId, params);
    long total =
        Sql.single(c, "SELECT COUNT(*) FROM runs r" + where, rs -> rs.getLong(1), params.toArray());
    String dir = filter.descending() ? " DESC" : " ASC";
    String sortKey = filter.sortBy() == null ? "created_at" : filter.sortBy();
    String column = COLUMN_SORTS.get(sortKey);
    StringBuilder sql = new StringBuilder(RunRows.SELECT);
    List<Object> all = new ArrayList<>();
    if (column == null) {
      sql.append(" LEFT JOIN run_summary_values sv ON sv.run_id = r.id AND sv.summary_key = ?");
      all.add(sortKey);
      sql.append(where);
      all.addAll(params);
      sql.append(" ORDER BY CASE WHEN sv.num IS NULL THEN 1 ELSE 0 END, sv.num").append(dir);
    } else {
      sql.append(where);
      all.addAll(params);
      sql.append(" ORDER BY ").append(column).append(dir);
    }
    sql.append(", r.id").append(dir).append(" LIMIT ? OFFSET ?");
    all.add((long) filter.limit());
    all.add(filter.cursor());
    List<RunInfo> runs = Sql.list(c, sql.toString(), RunRows::read, all.toArray());
    long next = filter.cursor() + runs.size();
    return new RunPage(runs, total, next < total && !runs.isEmpty() ? next : null);
  }

  private String where(long projectId, List<Object> params) {
    StringBuilder w = new StringBuilder(" WHERE r.project_id = ?");
    params.add(projectId);
    if (filter.state() != null) {
      w.append(" AND r.state = ?");
      params.add(filter.state());
    }
    if (filter.group() != null) {
      w.append(" AND r.group_name = ?");
      params.add(filter.group());
    }
    if (filter.tag() != null) {
      w.append(" AND EXISTS (SELECT 1 FROM run_tags t WHERE t.run_id = r.id AND t.tag = ?)");
      params.add(filter.tag());
    }
    return w.toString();
  }
}
