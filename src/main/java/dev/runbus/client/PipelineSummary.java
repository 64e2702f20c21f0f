package dev.runbus.client;

import dev.runbus.RunSummary;
import dev.runbus.json.JsonValues;
import dev.runbus.json.JsonWriter;
import dev.runbus.json.LogValues;
import dev.runbus.proto.GetSummaryRequest;
import dev.runbus.proto.Record;
import dev.runbus.proto.Request;
import dev.runbus.proto.SummaryItem;
import dev.runbus.proto.SummaryRecord;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A run's summary. Sets and removes travel the queue as summary records; reads ask the Handler,
 * behind everything logged before them.
 */
final class PipelineSummary implements RunSummary {

  private final PipelineRun run;
  private final RunClient client;

  PipelineSummary(PipelineRun run, RunClient client) {
    this.run = run;
    this.client = client;
  }

  @Override
  public void set(String key, Object value) {
    Map<String, Object> one = new LinkedHashMap<>();
    one.put(key, value);
    update("summary().set()", one);
  }

  @Override
  public void update(Map<String, ?> values) {
    update("summary().update()", values);
  }

  private void update(String call, Map<String, ?> values) {
    SummaryRecord.Builder record = SummaryRecord.newBuilder();
    checkedCopy(call, values)
        .forEach(
            (key, copy) ->
                record.addUpdate(
                    SummaryItem.newBuilder().setKey(key).setValueJson(JsonWriter.toJson(copy))));
    run.putIfOpen(call, Record.newBuilder().setSummary(record).build());
  }

  /**
   * Checks and copies explicit summary values, before anything is sent.
   *
   * @throws IllegalArgumentException naming {@code call} and the first bad key or value
   */
  static Map<String, Object> checkedCopy(String call, Map<String, ?> values) {
    Map<String, Object> copies = new LinkedHashMap<>();
    for (Map.Entry<String, ?> e : values.entrySet()) {
      LogValues.checkKey(call, e.getKey());
      copies.put(e.getKey(), LogValues.copyValue(call, e.getKey(), e.getValue()));
    }
    return copies;
  }

  @Override
  public void remove(String key) {
    LogValues.checkKey("summary().remove()", key);
    run.putIfOpen(
        "summary().remove()",
        Record.newBuilder()
            .setSummary(SummaryRecord.newBuilder().addRemove(SummaryItem.newBuilder().setKey(key)))
            .build());
  }

  @Override
  public Object get(String key) {
    run.checkOpen("summary().get()");
    return fetch().get(key);
  }

  @Override
  public Map<String, Object> asMap() {
    run.checkOpen("summary().asMap()");
    return fetch();
  }

  /** The Handler's consolidated summary, parsed. */
  Map<String, Object> fetch() {
    var response =
        run.await(
            client.request(
                Record.newBuilder()
                    .setRequest(
                        Request.newBuilder().setGetSummary(GetSummaryRequest.getDefaultInstance()))
                    .build()),
            "summary");
    Map<String, Object> summary = new LinkedHashMap<>();
    for (SummaryItem item : response.getResponse().getGetSummaryResponse().getItemList()) {
      summary.put(item.getKey(), JsonValues.parse(item.getValueJson()));
    }
    return summary;
  }
}
