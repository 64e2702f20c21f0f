package dev.runbus.server.api;

import dev.runbus.server.store.RunKey;
import dev.runbus.server.store.User;
import io.vertx.core.AsyncResult;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerResponse;
import java.io.IOException;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A run's full history, streamed: pages read on the database worker, each written when the
 * response has room. A page is read only when the response's write queue is not full (it is
 * written in slices, so that the queue fills); memory therefore stays at about one page plus the
 * queue whatever the run's size and however slow the client, and nothing blocks the event loop.
 */
final class HistoryStream {
  static final String NDJSON = "application/x-ndjson";
  /** Times a stream waited for its client to take what was written (read by tests). */
  static final AtomicLong DRAIN_WAITS = new AtomicLong();
  private static final int WRITE_BYTES = 32 * 1024;
  private final ReadContext ctx;

  HistoryStream(ReadContext ctx) {
    this.ctx = ctx;
  }

  void handle(ApiRequest req) {
    new Transfer(
            req,
            req.runKey(),
            req.queryList("keys"),
            req.query("from", 0L),
            req.query("limit", Long.MAX_VALUE),
            "json".equals(req.query("format")))
        .start();
  }

  /** One page, rendered: its bytes and what the pager needs to know. */
  private record Page(Buffer bytes, long asked, int lines, long lastLine) {}

  /** One request's stream. Its fields are touched on the request's event loop only. */
  private final class Transfer {
    private final ApiRequest req;
    private final RunKey key;
    private final List<String> keys;
    private final long from;
    private final long limit;
    private final boolean array;
    private final HttpServerResponse response;
    private HistoryPager pager;
    private long runId;
    private boolean first = true;
    private boolean closed;

    Transfer(ApiRequest req, RunKey key, List<String> keys, long from, long limit, boolean array) {
      this.req = req;
      this.key = key;
      this.keys = keys;
      this.from = from;
      this.limit = limit;
      this.array = array;
      this.response = req.rc.response();
    }

    void start() {
      User viewer = req.viewer;
      ctx.blocking(() -> ctx.run(viewer, key))
          .onFailure(failure -> Answers.fail(req.rc, failure))
          .onSuccess(run -> {
            pager = new HistoryPager(from, limit, run.historyLineCount());
            runId = run.id();
            response.setChunked(true);
            response.putHeader("Content-Type", array ? Answers.JSON : NDJSON);
            response.closeHandler(v -> closed = true);
            if (array) {
              response.write("[");
            }
            next();
          });
    }

    /** Reads the next page, or ends the answer when there is none. */
    private void next() {
      if (closed) {
        return;
      }
      if (pager.done()) {
        response.end(array ? "]" : "");
        return;
      }
      long line = pager.nextLine();
      long asked = pager.pageLimit();
      boolean separate = array && !first;
      Future<Page> page = ctx.blocking(() -> read(line, asked, separate));
      page.onComplete(this::written);
    }

    private void written(AsyncResult<Page> result) {
      if (closed) {
        return;
      }
      if (result.failed()) {
        Answers.fail(req.rc, result.cause());
        return;
      }
      Page page = result.result();
      pager.pageRead(page.asked, page.lines, page.lastLine, page.bytes.length());
      if (page.lines > 0) {
        first = false;
        // in slices: Vert.x counts its write queue in messages, not bytes, so one big write
        // would never make the queue full however slow the client
        for (int at = 0; at < page.bytes.length(); at += WRITE_BYTES) {
          response.write(page.bytes.slice(at, Math.min(page.bytes.length(), at + WRITE_BYTES)));
        }
      }
      if (response.writeQueueFull()) {
        DRAIN_WAITS.incrementAndGet();
        response.drainHandler(v -> {
          response.drainHandler(null);
          next();
        });
      } else {
        next();
      }
    }

    /** On the database worker: one page of lines, as NDJSON lines or array elements. */
    private Page read(long line, long asked, boolean separate) {
      Buffer out = Buffer.buffer(64 * 1024);
      int[] count = {0};
      long[] last = {-1};
      ctx.store.data().scanHistory(runId, keys, line, asked, (n, text) -> {
        if (array && (separate || count[0] > 0)) {
          out.appendByte((byte) ',');
        }
        out.appendString(plain(text));
        if (!array) {
          out.appendByte((byte) '\n');
        }
        count[0]++;
        last[0] = n;
      });
      return new Page(out, asked, count[0], last[0]);
    }
  }

  private static String plain(String line) {
    if (!FiniteJson.needsRewrite(line)) {
      return line;
    }
    try {
      return FiniteJson.toPlainJson(line);
    } catch (IOException notJson) {
      return "null";
    }
  }
}
