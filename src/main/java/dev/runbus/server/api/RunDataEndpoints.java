package dev.runbus.server.api;

import com.fasterxml.jackson.core.JsonGenerator;
import dev.runbus.server.store.RunData.SampledHistory;
import dev.runbus.server.store.RunInfo;
import dev.runbus.server.store.RunKey;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;

/** History keys, sampled history, console output and system metrics: bounded JSON answers. */
final class RunDataEndpoints {
  static final int DEFAULT_POINTS = 1000;
  static final int DEFAULT_LINES = 1000;
  private final ReadContext ctx;

  RunDataEndpoints(ReadContext ctx) {
    this.ctx = ctx;
  }

  void historyKeys(ApiRequest req) {
    RunKey key = req.runKey();
    ctx.answer(
        req,
        () ->
            Answers.renderStrings(
                "keys", ctx.store.data().historyKeys(ctx.run(req.viewer, key).id())));
  }

  void sampledHistory(ApiRequest req) {
    RunKey key = req.runKey();
    List<String> keys = req.queryList("keys");
    if (keys.isEmpty()) {
      Answers.error(req.rc, 400, "samples needs keys: name the history keys to sample");
      return;
    }
    int points = req.query("samples", DEFAULT_POINTS);
    String x = req.query("x");
    ctx.answer(req, () -> {
      long runId = ctx.run(req.viewer, key).id();
      SampledHistory sampled =
          x == null
              ? ctx.store.data().sampleHistory(runId, keys, points)
              : ctx.store.data().sampleHistory(runId, keys, points, x);
      return Answers.render(g -> {
        g.writeStartObject();
        g.writeArrayFieldStart("series");
        for (SampledHistory.Series s : sampled.series()) {
          g.writeStartObject();
          g.writeStringField("key", s.key());
          g.writeArrayFieldStart("steps");
          for (long step : s.steps()) {
            g.writeNumber(step);
          }
          g.writeEndArray();
          g.writeArrayFieldStart("values");
          for (double v : s.values()) {
            g.writeNumber(v); // non-finite as strings (FiniteJson)
          }
          g.writeEndArray();
          if (s.xs() != null) {
            g.writeArrayFieldStart("xs");
            for (Double v : s.xs()) {
              if (v == null) {
                g.writeNull();
              } else {
                g.writeNumber(v);
              }
            }
            g.writeEndArray();
          }
          g.writeEndObject();
        }
        g.writeEndArray();
        g.writeNumberField("rowsScanned", sampled.rowsScanned());
        g.writeEndObject();
      });
    });
  }

  void console(ApiRequest req) {
    lines(req, false);
  }

  void events(ApiRequest req) {
    lines(req, true);
  }

  /**
   * A page of console lines ({@code text}, as sent) or events lines ({@code values}, the parsed
   * object), each with its line number; {@code next} is where the following page starts.
   */
  private void lines(ApiRequest req, boolean events) {
    RunKey key = req.runKey();
    long from = req.query("from", 0L);
    int limit = req.query("limit", DEFAULT_LINES);
    ctx.answer(req, () -> {
      RunInfo run = ctx.run(req.viewer, key);
      return Answers.render(g -> {
        g.writeStartObject();
        g.writeArrayFieldStart("lines");
        long[] next = {from};
        try {
          if (events) {
            ctx.store.data().scanEvents(run.id(), from, limit, (n, text) -> {
              line(g, n, "values", text, true);
              next[0] = n + 1;
            });
          } else {
            ctx.store.data().scanConsole(run.id(), from, limit, (n, text) -> {
              line(g, n, "text", text, false);
              next[0] = n + 1;
            });
          }
        } catch (UncheckedIOException e) {
          throw e.getCause();
        }
        g.writeEndArray();
        g.writeNumberField("next", next[0]);
        g.writeNumberField("total", events ? run.eventsLineCount() : run.logLineCount());
        g.writeEndObject();
      });
    });
  }

  private static void line(JsonGenerator g, long n, String field, String text, boolean json) {
    try {
      g.writeStartObject();
      g.writeNumberField("line", n);
      g.writeFieldName(field);
      if (json) {
        FiniteJson.writeStored(text, g);
      } else {
        g.writeString(text);
      }
      g.writeEndObject();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
