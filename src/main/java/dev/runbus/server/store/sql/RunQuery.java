package dev.runbus.server.store.sql;

import dev.runbus.server.store.BadInputException;
import dev.runbus.server.store.Dialect;
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
 * runs without that number, or with NaN there, come last either way. Sorting by a config value
 * joins run_config_values the same way: numbers first, then texts, then runs without it. Ties
 * break on the run's id, so pages neither repeat nor skip a run.
 */
final class RunQuery {
  private static final Map<String, String> COLUMN_SORTS =
      Map.of("created_at", "r.created_at", "name", "r.name", "state", "r.state");

  /** Longest name search: W&B's names are short, and a LIKE pattern's cost grows with it. */
  static final int MAX_SEARCH = 256;

  private final RunFilter filter;
  private final Dialect dialect;

  private RunQuery(RunFilter filter, Dialect dialect) {
    this.filter = filter;
    this.dialect = dialect;
  }

  static RunQuery of(RunFilter filter, Dialect dialect) {
    if (filter.limit() < 1 || filter.limit() > SqlRuns.MAX_PAGE) {
      throw new BadInputException("page size must be 1.." + SqlRuns.MAX_PAGE);
    }
    if (filter.cursor() < 0) {
      throw new BadInputException("cursor must not be negative");
    }
    if (filter.sortBy() != null && filter.sortBy().isEmpty()) {
      throw new BadInputException("empty sort key");
    }
    if (filter.search() != null && filter.search().length() > MAX_SEARCH) {
      throw new BadInputException("a search of more than " + MAX_SEARCH + " characters");
    }
    if (filter.search() != null) {
      Names.checkText("search", filter.search(), MAX_SEARCH);
    }
    return new RunQuery(filter, dialect);
  }

  RunPage page(Connection c, long projectId) throws SQLException {
    List<Object> params = new ArrayList<>();
    String where = where(projectId, params);
    long total =
        Sql.single(c, "SELECT COUNT(*) FROM runs r" + where, rs -> rs.getLong(1), params.toArray());
    String dir = filter.descending() ? " DESC" : " ASC";
    String sortKey = filter.sortBy() == null ? "created_at" : filter.sortBy();
    String column = filter.sortByConfig() ? null : COLUMN_SORTS.get(sortKey);
    StringBuilder sql = new StringBuilder(RunRows.SELECT);
    List<Object> all = new ArrayList<>();
    if (filter.sortByConfig()) {
      sql.append(" LEFT JOIN run_config_values cv ON cv.run_id = r.id AND cv.config_key = ?");
      all.add(sortKey);
      sql.append(where);
      all.addAll(params);
      sql.append(
              " ORDER BY CASE WHEN cv.num IS NOT NULL THEN 0 WHEN cv.txt IS NOT NULL THEN 1"
                  + " ELSE 2 END, cv.num")
          .append(dir)
          .append(", cv.txt")
          .append(dir);
    } else if (column == null) {
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
    if (filter.search() != null && !filter.search().isEmpty()) {
      // SQLite's LIKE ignores the case of ASCII letters; PostgreSQL's ILIKE that of every letter
      String like = dialect == Dialect.POSTGRESQL ? " ILIKE " : " LIKE ";
      w.append(" AND (r.name")
          .append(like)
          .append("? ESCAPE '\\' OR r.display_name")
          .append(like)
          .append("? ESCAPE '\\')");
      String pattern = "%" + likeEscaped(filter.search()) + "%";
      params.add(pattern);
      params.add(pattern);
    }
    return w.toString();
  }

  /** The text as a LIKE pattern matching itself: {@code %}, {@code _} and the escape escaped. */
  static String likeEscaped(String text) {
    StringBuilder out = new StringBuilder(text.length() + 8);
    for (int i = 0; i < text.length(); i++) {
      char ch = text.charAt(i);
      if (ch == '\\' || ch == '%' || ch == '_') {
        out.append('\\');
      }
      out.append(ch);
    }
    return out.toString();
  }
}
