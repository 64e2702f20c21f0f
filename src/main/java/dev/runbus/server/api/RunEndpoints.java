package dev.runbus.server.api;

import dev.runbus.server.store.Alert;
import dev.runbus.server.store.RunFiles.FileInfo;
import dev.runbus.server.store.RunInfo;
import dev.runbus.server.store.RunKey;
import dev.runbus.server.store.Runs;
import dev.runbus.server.store.Runs.RunFilter;
import dev.runbus.server.store.Runs.RunPage;
import java.util.List;

/** A project's runs, one run, its files list, and asking it to stop. */
final class RunEndpoints {
  /** Alerts are few by nature (W&B's wait_duration rate-limits them); a run's first 1,000 answer. */
  private static final int MAX_ALERTS = 1000;

  static final int DEFAULT_PAGE = 50;
  private static final String CONFIG_SORT = "config.";
  private final ReadContext ctx;

  RunEndpoints(ReadContext ctx) {
    this.ctx = ctx;
  }

  void list(ApiRequest req) {
    String sort = req.query("sort");
    boolean byConfig = sort != null && sort.startsWith(CONFIG_SORT);
    RunFilter filter =
        new RunFilter(
            req.path("entity"),
            req.path("project"),
            req.query("state"),
            req.query("tag"),
            req.query("group"),
            byConfig ? sort.substring(CONFIG_SORT.length()) : storeSortKey(sort),
            !"asc".equals(req.query("order")),
            req.query("limit", DEFAULT_PAGE),
            req.query("cursor", 0L),
            req.query("search"),
            byConfig);
    ctx.answer(req, () -> {
      RunPage page = ctx.store.runs().list(req.viewer, filter);
      return Answers.render(g -> {
        g.writeStartObject();
        g.writeArrayFieldStart("runs");
        for (RunInfo run : page.runs()) {
          RunJson.write(run, null, g);
        }
        g.writeEndArray();
        g.writeNumberField("total", page.total());
        g.writeFieldName("nextCursor");
        if (page.nextCursor() == null) {
          g.writeNull();
        } else {
          g.writeNumber(page.nextCursor());
        }
        g.writeEndObject();
      });
    });
  }

  /**
   * The API's sort names to the store's: {@code created} (the default) is {@code created_at},
   * {@code summary.<key>} is the summary key itself; the contract's pattern admits nothing else.
   */
  static String storeSortKey(String sort) {
    if (sort == null || sort.equals("created")) {
      return "created_at";
    }
    if (sort.startsWith("summary.")) {
      return sort.substring("summary.".length());
    }
    return sort;
  }

  /** The config and summary keys of the project's recent runs (the column picker's choices). */
  void keys(ApiRequest req) {
    String entity = req.path("entity");
    String project = req.path("project");
    ctx.answer(req, () -> {
      Runs.ProjectKeys keys = ctx.store.runs().keys(req.viewer, entity, project);
      return Answers.render(g -> {
        g.writeStartObject();
        g.writeArrayFieldStart("config");
        for (String k : keys.config()) {
          g.writeString(k);
        }
        g.writeEndArray();
        g.writeArrayFieldStart("summary");
        for (String k : keys.summary()) {
          g.writeString(k);
        }
        g.writeEndArray();
        g.writeEndObject();
      });
    });
  }

  void get(ApiRequest req) {
    RunKey key = req.runKey();
    ctx.answer(req, () -> {
      RunInfo run = ctx.run(req.viewer, key);
      List<FileInfo> files = ctx.store.files().list(run.id());
      return Answers.render(g -> RunJson.write(run, files, g));
    });
  }

  void files(ApiRequest req) {
    RunKey key = req.runKey();
    ctx.answer(req, () -> {
      List<FileInfo> files = ctx.store.files().list(ctx.run(req.viewer, key).id());
      return Answers.render(g -> {
        g.writeStartObject();
        g.writeArrayFieldStart("files");
        for (FileInfo f : files) {
          RunJson.writeFile(f, g);
        }
        g.writeEndArray();
        g.writeEndObject();
      });
    });
  }

  void alerts(ApiRequest req) {
    RunKey key = req.runKey();
    ctx.answer(req, () -> {
      List<Alert> alerts = ctx.store.runs().alerts(req.viewer, key, MAX_ALERTS);
      return Answers.render(g -> {
        g.writeStartObject();
        g.writeArrayFieldStart("alerts");
        for (Alert a : alerts) {
          g.writeStartObject();
          g.writeStringField("title", a.title());
          g.writeStringField("text", a.text());
          g.writeStringField("severity", a.severity());
          g.writeStringField("createdAt", RunJson.time(a.createdAtMillis()));
          g.writeEndObject();
        }
        g.writeEndArray();
        g.writeEndObject();
      });
    });
  }

  void stop(ApiRequest req) {
    RunKey key = req.runKey();
    ctx.answer(req, () -> {
      ctx.store.runs().requestStop(req.viewer, key);
      return Answers.render(g -> {
        g.writeStartObject();
        g.writeBooleanField("stopRequested", true);
        g.writeEndObject();
      });
    });
  }
}
