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
    LogValues.checkKey("summary().set()", key);
    Object copy = LogValues.copyValue(key, value);
    run.putIfOpen(
        "summary().set()",
        Record.newBuilder()
            .setSummary(
                SummaryRecord.newBuilder()
                    .addUpdate(
                        SummaryItem.newBuilder().setKey(key).setValueJson(JsonWriter.toJson(copy))))
            .build());
  }

  @Override
  public void update(Map<String, ?> values) {
    SummaryRecord.Builder record = SummaryRecord.newBuilder();
    for (Map.Entry<String, ?> e : values.entrySet()) {
      LogValues.checkKey("summary().update()", e.getKey());
      Object copy = LogValues.copyValue(e.getKey(), e.getValue());
      record.addUpdate(
          SummaryItem.newBuilder().setKey(e.getKey()).setValueJson(JsonWriter.toJson(copy)));
    }
    run.putIfOpen("summary().update()", Record.newBuilder().setSummary(record).build());
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
