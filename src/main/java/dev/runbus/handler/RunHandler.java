package dev.runbus.handler;

import dev.runbus.proto.Record;
import dev.runbus.proto.Record.RecordTypeCase;
import dev.runbus.proto.Request;
import dev.runbus.proto.Request.RequestTypeCase;
import dev.runbus.proto.Response;
import java.util.EnumMap;
import java.util.function.Consumer;

/**
 * One run's Handler: routes each record or request to the small handler for its kind. All logic
 * lives in those handlers and in {@link RunState}; this class only dispatches. Not thread-safe:
 * call it from one thread (the Handler verticle's event loop).
 */
public final class RunHandler {
  private final RunState state;
  private final EnumMap<RecordTypeCase, RecordHandler> records =
      new EnumMap<>(RecordTypeCase.class);

  /** Requests that travel inside a record through {@link #handle}. */
  private final EnumMap<RequestTypeCase, RecordHandler> requestRecords =
      new EnumMap<>(RequestTypeCase.class);

  /** Requests {@link #answer} replies to. */
  private final EnumMap<RequestTypeCase, RequestHandler> answers =
      new EnumMap<>(RequestTypeCase.class);

  public RunHandler(RunState state) {
    this.state = state;
    HistoryRowPipeline rows = new HistoryRowPipeline(state);
    RecordHandler forward = new ForwardHandler(state);
    RecordHandler ignore = new IgnoreHandler(state);

    // §2.1: whatever the Handler does not handle itself goes on unchanged
    for (RecordTypeCase type : RecordTypeCase.values()) {
      records.put(type, forward);
    }
    records.put(RecordTypeCase.HISTORY, new HistoryHandler(state, rows));
    records.put(RecordTypeCase.SUMMARY, new SummaryHandler(state));
    records.put(RecordTypeCase.METRIC, new MetricHandler(state));
    records.put(RecordTypeCase.EXIT, new ExitHandler(state, rows));
    records.put(RecordTypeCase.FINAL, ignore);
    records.put(RecordTypeCase.FOOTER, ignore);
    records.put(RecordTypeCase.RECORDTYPE_NOT_SET, ignore);
    records.remove(RecordTypeCase.REQUEST); // routed by request type below

    answers.put(RequestTypeCase.GET_SUMMARY, new GetSummaryHandler(state));
    answers.put(RequestTypeCase.SAMPLED_HISTORY, new SampledHistoryHandler(state));
    answers.put(RequestTypeCase.RUN_START, new RunStartHandler(state));
    answers.put(RequestTypeCase.STOP_STATUS, new StopStatusHandler());
    answers.put(RequestTypeCase.NETWORK_STATUS, new NetworkStatusHandler());

    // poll_exit, finish and anything newer are for the stages behind the Handler
    for (RequestTypeCase type : RequestTypeCase.values()) {
      requestRecords.put(type, forward);
    }
    answers.forEach(
        (type, answerer) -> requestRecords.put(type, new AnsweringRecordHandler(answerer)));
    PartialHistoryHandler partialHistory = new PartialHistoryHandler(state, rows);
    requestRecords.put(RequestTypeCase.PARTIAL_HISTORY, partialHistory);
    requestRecords.put(
        RequestTypeCase.LOG_ROWS, new LogRowsHandler(state, rows, partialHistory));
    requestRecords.put(RequestTypeCase.REQUESTTYPE_NOT_SET, ignore);
  }

  /** A handler for a new run starting at {@code startingStep}. */
  public static RunHandler create(double runStartEpochSeconds, long startingStep) {
    return new RunHandler(new RunState(runStartEpochSeconds, startingStep));
  }

  /**
   * Handles a record that gets no reply, emitting 0..n records in pipeline order. After the exit,
   * data records and log() requests are ignored (and counted); other requests still pass, so the
   * finish drain can follow the exit.
   */
  public void handle(Record record, RecordSink out) {
    state.countIn();
    RecordTypeCase type = record.getRecordTypeCase();
    if (type == RecordTypeCase.REQUEST) {
      RequestTypeCase requestType = record.getRequest().getRequestTypeCase();
      if (state.exited() && requestType == RequestTypeCase.PARTIAL_HISTORY) {
        state.countIgnored();
        return;
      }
      if (state.exited() && requestType == RequestTypeCase.LOG_ROWS) {
        int rows = LogRowsHandler.rowCount(record.getRequest().getLogRows());
        state.countIn(Math.max(0, rows - 1));
        state.countIgnored(Math.max(1, rows));
        return;
      }
      requestRecords.get(requestType).handle(record, out);
      return;
    }
    if (state.exited()) {
      state.countIgnored();
      return;
    }
    records.get(type).handle(record, out);
  }

  /**
   * Answers get_summary, sampled_history, run_start, stop_status and network_status (also after the
   * exit). Returns null for any other request: rows (partial_history, log_rows) go through {@link
   * #handle}, finish and poll_exit are the verticle's own, and anything else has no answer.
   */
  public Response answer(Request request, RecordSink out) {
    RequestHandler answerer = answers.get(request.getRequestTypeCase());
    return answerer == null ? null : answerer.answer(request, out);
  }

  /** Records passed to {@link #handle} so far, a block of log() rows counting one per row. */
  public long recordsIn() {
    return state.recordsIn();
  }

  public HandlerStats stats() {
    return state.stats();
  }

  /** Receives the user-visible warning, once per run, on the first lower-step row dropped. */
  public void setWarningListener(Consumer<String> listener) {
    state.setWarningListener(listener);
  }

  /** The run's state, for inspection by tests. */
  public RunState state() {
    return state;
  }
}
