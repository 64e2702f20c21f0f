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
    encoded(call, values)
        .forEach(
            (key, json) -> record.addUpdate(SummaryItem.newBuilder().setKey(key).setValueJson(json)));
    run.putIfOpen(call, Record.newBuilder().setSummary(record).build());
  }

  /**
   * Checks explicit summary values and encodes each as the {@code value_json} a summary record
   * carries, before anything is sent; a disabled run keeps these same texts.
   *
   * @throws IllegalArgumentException naming {@code call} and the first bad key or value
   */
  static Map<String, String> encoded(String call, Map<String, ?> values) {
    Map<String, String> json = new LinkedHashMap<>();
    for (Map.Entry<String, ?> e : values.entrySet()) {
      LogValues.checkKey(call, e.getKey());
      json.put(e.getKey(), JsonWriter.toJson(LogValues.copyValue(call, e.getKey(), e.getValue())));
    }
    return json;
  }

  /**
   * A summary value as the caller reads it back, from its {@code value_json}: integers as {@code
   * Long}, other numbers as {@code Double}, containers as plain maps and lists (see {@link
   * JsonValues#parse}); whatever type was set.
   */
  static Object readBack(String valueJson) {
    return JsonValues.parse(valueJson);
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
            "read its summary");
    Map<String, Object> summary = new LinkedHashMap<>();
    for (SummaryItem item : response.getResponse().getGetSummaryResponse().getItemList()) {
      summary.put(item.getKey(), readBack(item.getValueJson()));
    }
    return summary;
  }
}
