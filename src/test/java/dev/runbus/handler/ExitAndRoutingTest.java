package dev.runbus.handler;

import static dev.runbus.handler.Fixtures.Log;
import static dev.runbus.handler.Fixtures.summaryUpdate;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.params.provider.Arguments.arguments;

import com.google.protobuf.Timestamp;
import dev.runbus.handler.Fixtures.RecordingSink;
import dev.runbus.proto.AlertRecord;
import dev.runbus.proto.ConfigItem;
import dev.runbus.proto.ConfigRecord;
import dev.runbus.proto.Control;
import dev.runbus.proto.FilesItem;
import dev.runbus.proto.FilesRecord;
import dev.runbus.proto.FinalRecord;
import dev.runbus.proto.FinishRequest;
import dev.runbus.proto.FooterRecord;
import dev.runbus.proto.GetSummaryRequest;
import dev.runbus.proto.HeaderRecord;
import dev.runbus.proto.NetworkStatusRequest;
import dev.runbus.proto.OutputRawRecord;
import dev.runbus.proto.OutputRecord;
import dev.runbus.proto.PollExitRequest;
import dev.runbus.proto.Record;
import dev.runbus.proto.Record.RecordTypeCase;
import dev.runbus.proto.Request;
import dev.runbus.proto.Response;
import dev.runbus.proto.RunExitRecord;
import dev.runbus.proto.RunPreemptingRecord;
import dev.runbus.proto.RunRecord;
import dev.runbus.proto.RunStartRequest;
import dev.runbus.proto.SampledHistoryRequest;
import dev.runbus.proto.StatsItem;
import dev.runbus.proto.StatsRecord;
import dev.runbus.proto.StopStatusRequest;
import dev.runbus.proto.SummaryItem;
import dev.runbus.proto.TelemetryRecord;
import dev.runbus.proto.VersionInfo;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** §3.2/§3.3 exit order, what is forwarded unchanged, and the requests the Handler answers. */
class ExitAndRoutingTest {
  private double now = 1042.9;
  private final RunHandler handler = new RunHandler(new RunState(1000, 0, () -> now));
  private final RecordingSink out = new RecordingSink();

  private static final Record EXIT =
      Record.newBuilder()
          .setExit(RunExitRecord.newBuilder().setExitCode(3))
          .setControl(Control.newBuilder().setMailboxSlot("slot1"))
          .build();

  @Test
  void exitWritesHistoryExitSummaryFinalFooterInThatOrder() {
    handler.handle(Log.of("loss", "0.5", "_timestamp", "1001.0").record(), out);
    handler.handle(Log.of("loss", "0.25").step(4).record(), out);
    out.records.clear();

    handler.handle(EXIT, out);

    assertEquals(
        List.of(
            RecordTypeCase.HISTORY,
            RecordTypeCase.EXIT,
            RecordTypeCase.SUMMARY,
            RecordTypeCase.FINAL,
            RecordTypeCase.FOOTER),
        out.types());
    assertEquals(List.of("4: loss=0.25"), out.describedRows());

    Record exit = out.records.get(1);
    assertEquals(3, exit.getExit().getExitCode());
    assertEquals(42, exit.getExit().getRuntime(), "whole seconds since the run start");
    assertTrue(exit.getControl().getAlwaysSend());
    assertEquals("slot1", exit.getControl().getMailboxSlot(), "the reply address survives");

    Record summary = out.records.get(2);
    assertFalse(summary.getControl().getLocal(), "the full summary is persisted");
    assertEquals(
        List.of(
            "loss=0.25", "_timestamp=1001.0", "_runtime=1.0", "_step=4", "_wandb={\"runtime\":42}"),
        summary.getSummary().getUpdateList().stream()
            .map(i -> i.getKey() + "=" + i.getValueJson())
            .toList());
    assertTrue(
        out.records.get(3).getControl().getAlwaysSend(), "final goes to the Sender offline too");
  }

  @Test
  void anExistingWandbObjectKeepsItsOtherKeys() {
    handler.handle(summaryUpdate("\"x\"", "_wandb", "note"), out);
    out.records.clear();
    handler.handle(EXIT, out);
    SummaryItem wandb = out.records.get(1).getSummary().getUpdate(0);
    assertEquals("_wandb", wandb.getKey());
    assertEquals("{\"note\":\"x\",\"runtime\":42}", wandb.getValueJson());
    assertNull(
        handler.state().summary.valueJson("_wandb", "runtime"), "the live summary is untouched");
  }

  @Test
  void aWandbObjectSetAsTextIsMergedToo() {
    handler.handle(summaryUpdate("{\"note\": \"x\"}", "_wandb"), out);
    out.records.clear();
    handler.handle(EXIT, out);
    assertEquals(
        "{\"note\":\"x\",\"runtime\":42}",
        out.records.get(1).getSummary().getUpdate(0).getValueJson());
  }

  @Test
  void recordsAfterExitAreIgnoredAndCounted() {
    handler.handle(EXIT, out);
    out.records.clear();
    handler.handle(Log.of("a", "1").record(), out);
    handler.handle(Fixtures.history(dev.runbus.proto.HistoryRecord.getDefaultInstance()), out);
    handler.handle(summaryUpdate("1", "a"), out);
    handler.handle(EXIT, out);
    handler.handle(Record.newBuilder().setConfig(ConfigRecord.getDefaultInstance()).build(), out);

    assertEquals(List.of(), out.records);
    HandlerStats stats = handler.stats();
    assertEquals(5, stats.ignoredRecords());
    assertEquals(6, stats.recordsIn());
    assertEquals(4, stats.recordsOut());
    assertEquals(0, stats.historyRows());
    assertNull(handler.state().summary.valueJson("a"));
  }

  @Test
  void theFinishDrainStillPassesAfterExit() {
    handler.handle(EXIT, out);
    out.records.clear();
    Record finish =
        Record.newBuilder()
            .setRequest(Request.newBuilder().setFinish(FinishRequest.getDefaultInstance()))
            .build();
    handler.handle(finish, out);
    assertEquals(List.of(finish), out.records);
  }

  @Test
  void questionsAreStillAnsweredAfterExit() {
    handler.handle(Log.of("loss", "1").record(), out);
    handler.handle(EXIT, out);
    Response summary =
        handler.answer(
            Request.newBuilder().setGetSummary(GetSummaryRequest.getDefaultInstance()).build(),
            out);
    assertEquals("loss", summary.getGetSummaryResponse().getItem(0).getKey());
    Response sampled =
        handler.answer(
            Request.newBuilder()
                .setSampledHistory(SampledHistoryRequest.getDefaultInstance())
                .build(),
            out);
    assertEquals(
        List.of("loss", "_step"),
        sampled.getSampledHistoryResponse().getItemList().stream().map(i -> i.getKey()).toList());
  }

  static Stream<Arguments> forwarded() {
    return Stream.of(
        arguments(
            Record.newBuilder()
                .setConfig(
                    ConfigRecord.newBuilder()
                        .addUpdate(ConfigItem.newBuilder().setKey("lr").setValueJson("0.1")))
                .build()),
        arguments(
            Record.newBuilder()
                .setFiles(
                    FilesRecord.newBuilder()
                        .addFiles(FilesItem.newBuilder().setPath("wandb-metadata.json")))
                .build()),
        arguments(
            Record.newBuilder()
                .setStats(
                    StatsRecord.newBuilder()
                        .addItem(StatsItem.newBuilder().setKey("cpu").setValueJson("3")))
                .build()),
        arguments(Record.newBuilder().setOutput(OutputRecord.newBuilder().setLine("hi")).build()),
        arguments(
            Record.newBuilder().setOutputRaw(OutputRawRecord.newBuilder().setLine("hi\n")).build()),
        arguments(
            Record.newBuilder()
                .setTelemetry(TelemetryRecord.newBuilder().setCliVersion("1"))
                .build()),
        arguments(Record.newBuilder().setAlert(AlertRecord.newBuilder().setTitle("t")).build()),
        arguments(Record.newBuilder().setRun(RunRecord.newBuilder().setRunId("abc")).build()),
        arguments(
            Record.newBuilder()
                .setHeader(
                    HeaderRecord.newBuilder()
                        .setVersionInfo(VersionInfo.newBuilder().setProducer("runbus")))
                .build()),
        arguments(
            Record.newBuilder().setPreempting(RunPreemptingRecord.getDefaultInstance()).build()),
        arguments(
            Record.newBuilder()
                .setRequest(Request.newBuilder().setPollExit(PollExitRequest.getDefaultInstance()))
                .build()));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("forwarded")
  void recordsWithoutHandlerWorkAreForwardedUnchanged(Record record) {
    handler.handle(record, out);
    assertEquals(List.of(record), out.records);
    assertTrue(out.records.get(0) == record, "the same instance, not a copy");
  }

  static Stream<Arguments> ignored() {
    return Stream.of(
        arguments(
            "client-sent final",
            Record.newBuilder().setFinal(FinalRecord.getDefaultInstance()).build()),
        arguments(
            "client-sent footer",
            Record.newBuilder().setFooter(FooterRecord.getDefaultInstance()).build()),
        arguments("a record without a type", Record.newBuilder().setUuid("u").build()),
        arguments(
            "a request without a type",
            Record.newBuilder().setRequest(Request.getDefaultInstance()).build()));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("ignored")
  void recordsTheLogMustNotHoldAreDropped(String name, Record record) {
    handler.handle(record, out);
    assertEquals(List.of(), out.records);
    assertEquals(1, handler.stats().ignoredRecords());
  }

  @Test
  void stopStatusSaysKeepGoingAndNetworkStatusIsEmpty() {
    Response stop =
        handler.answer(
            Request.newBuilder().setStopStatus(StopStatusRequest.getDefaultInstance()).build(),
            out);
    assertTrue(stop.hasStopStatusResponse());
    assertFalse(stop.getStopStatusResponse().getRunShouldStop());
    Response network =
        handler.answer(
            Request.newBuilder()
                .setNetworkStatus(NetworkStatusRequest.getDefaultInstance())
                .build(),
            out);
    assertTrue(network.hasNetworkStatusResponse());
    assertEquals(0, network.getNetworkStatusResponse().getNetworkResponsesCount());
    assertEquals(List.of(), out.records);
  }

  @Test
  void requestsAnsweredElsewhereGetNoAnswerHere() {
    assertNull(
        handler.answer(
            Request.newBuilder().setPollExit(PollExitRequest.getDefaultInstance()).build(), out));
  }

  @Test
  void runStartSetsTheStartTimeAndAResumedRunsStep() {
    Request start =
        Request.newBuilder()
            .setRunStart(
                RunStartRequest.newBuilder()
                    .setRun(
                        RunRecord.newBuilder()
                            .setStartTime(
                                Timestamp.newBuilder().setSeconds(1010).setNanos(500_000_000))
                            .setResumed(true)
                            .setStartingStep(20)))
            .build();
    Response response = handler.answer(start, out);
    assertTrue(response.hasRunStartResponse());
    assertEquals(List.of(), out.records, "run_start is not forwarded");

    handler.handle(Log.of("_timestamp", "1011.0").record(), out);
    assertEquals(List.of("20: _timestamp=1011.0, _runtime=0.5"), out.describedRows());
    handler.handle(EXIT, out);
    assertEquals(32, out.records.get(1).getExit().getRuntime());
  }

  @Test
  void runStartThroughHandleStillTakesEffect() {
    handler.handle(
        Record.newBuilder()
            .setRequest(
                Request.newBuilder()
                    .setRunStart(
                        RunStartRequest.newBuilder()
                            .setRun(RunRecord.newBuilder().setResumed(true).setStartingStep(7))))
            .build(),
        out);
    handler.handle(Log.of("a", "1").record(), out);
    assertEquals(List.of("7: a=1"), out.describedRows());
  }
}
