package dev.runbus.service.grpc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.runbus.proto.ConfigItem;
import dev.runbus.proto.ConfigRecord;
import dev.runbus.proto.FilesRecord;
import dev.runbus.proto.FinishRequest;
import dev.runbus.proto.FooterRecord;
import dev.runbus.proto.HistoryItem;
import dev.runbus.proto.HistoryRecord;
import dev.runbus.proto.HistoryStep;
import dev.runbus.proto.MetricRecord;
import dev.runbus.proto.OutputRecord;
import dev.runbus.proto.PartialHistoryRequest;
import dev.runbus.proto.Record;
import dev.runbus.proto.Request;
import dev.runbus.proto.RunExitRecord;
import dev.runbus.proto.RunRecord;
import dev.runbus.proto.StatsItem;
import dev.runbus.proto.StatsRecord;
import dev.runbus.proto.SummaryItem;
import dev.runbus.proto.SummaryRecord;
import dev.runbus.proto.TelemetryRecord;
import dev.runbus.service.ServiceException;
import dev.runbus.service.ServiceStatus;
import org.junit.jupiter.api.Test;

class RemoteRecordsTest {

  private static String problem(Record record) {
    return RemoteRecords.problem(record);
  }

  private static void refused(Record record, String expected) {
    String problem = problem(record);
    assertTrue(problem != null && problem.contains(expected), problem + " should name " + expected);
  }

  @Test
  void acceptsWhatTheJavaClientSends() {
    assertNull(problem(Batches.floatRows(0, 3, 4)));
    assertNull(problem(Batches.partialHistory("loss", "0.5")));
    assertNull(problem(Batches.partialHistory("table", "{\"a\": [1, 2]}")));
    assertNull(
        problem(
            Record.newBuilder()
                .setConfig(
                    ConfigRecord.newBuilder()
                        .addUpdate(ConfigItem.newBuilder().setKey("lr").setValueJson("0.1")))
                .build()));
    assertNull(
        problem(
            Record.newBuilder()
                .setSummary(
                    SummaryRecord.newBuilder()
                        .addUpdate(SummaryItem.newBuilder().setKey("best").setValueJson("NaN")))
                .build()));
    assertNull(problem(Record.newBuilder().setMetric(MetricRecord.newBuilder().setName("acc")).build()));
    assertNull(problem(Record.newBuilder().setMetric(MetricRecord.newBuilder().setGlobName("val/*")).build()));
    assertNull(problem(Record.newBuilder().setTelemetry(TelemetryRecord.getDefaultInstance()).build()));
    assertNull(problem(Record.newBuilder().setOutput(OutputRecord.newBuilder().setLine("hi")).build()));
    assertNull(problem(Record.newBuilder().setExit(RunExitRecord.newBuilder().setExitCode(1)).build()));
    assertNull(
        problem(
            Record.newBuilder()
                .setHistory(
                    HistoryRecord.newBuilder()
                        .addItem(HistoryItem.newBuilder().setKey("_step").setValueJson("3"))
                        .addItem(HistoryItem.newBuilder().setKey("x").setValueJson("1")))
                .build()));
  }

  @Test
  void refusesValuesThatAreNotJson() {
    refused(Batches.partialHistory("loss", "0.5.1"), "partial_history value of \"loss\" is not JSON");
    refused(Batches.logRows(new String[] {"a", "b"}, "1", "2", "3", "tru"), "log_rows row 1: the value of \"b\"");
    refused(
        Record.newBuilder()
            .setConfig(
                ConfigRecord.newBuilder()
                    .addUpdate(ConfigItem.newBuilder().setKey("lr").setValueJson("{")))
            .build(),
        "config value of \"lr\"");
    refused(
        Record.newBuilder()
            .setStats(
                StatsRecord.newBuilder()
                    .addItem(StatsItem.newBuilder().setKey("cpu").setValueJson("")))
            .build(),
        "stats value of \"cpu\"");
  }

  @Test
  void refusesKeysTheJavaApiRefuses() {
    refused(Batches.partialHistory("_step", "1"), "reserved");
    refused(Batches.partialHistory("", "1"), "must not be empty");
    refused(Batches.partialHistory("k".repeat(257), "1"), "too long");
    refused(Batches.logRows(new String[] {"a", "a"}, "1", "2"), "appears twice");
    refused(
        Record.newBuilder()
            .setConfig(
                ConfigRecord.newBuilder()
                    .addUpdate(ConfigItem.newBuilder().setKey("_wandb").setValueJson("{}")))
            .build(),
        "reserved");
    refused(
        Record.newBuilder()
            .setSummary(
                SummaryRecord.newBuilder()
                    .addUpdate(SummaryItem.newBuilder().setKey("_runtime").setValueJson("1")))
            .build(),
        "reserved");
    refused(Record.newBuilder().setMetric(MetricRecord.newBuilder()).build(), "exactly one of");
    refused(
        Record.newBuilder().setMetric(MetricRecord.newBuilder().setGlobName("a*b")).build(),
        "trailing");
  }

  @Test
  void refusesMalformedBlocksAndSteps() {
    refused(Batches.logRows(new String[] {"a", "b"}, "1", "2", "3"), "not a whole number of rows");
    refused(Batches.logRows(new String[] {}, "1"), "no keys");
    refused(Batches.logRows(new String[] {"a"}), "no values");
    Record cut =
        Batches.logRows(new String[] {"a"}, "12").toBuilder()
            .setRequest(
                Request.newBuilder()
                    .setLogRows(
                        Batches.logRows(new String[] {"a"}, "12").getRequest().getLogRows().toBuilder()
                            .setValues(com.google.protobuf.ByteString.copyFrom(new byte[] {5, '1'}))))
            .build();
    refused(cut, "malformed");
    refused(
        Record.newBuilder()
            .setRequest(
                Request.newBuilder()
                    .setPartialHistory(
                        PartialHistoryRequest.newBuilder().setStep(HistoryStep.newBuilder().setNum(-1))))
            .build(),
        "negative");
  }

  @Test
  void refusesRecordsARemoteClientDoesNotWrite() {
    refused(Record.newBuilder().setRun(RunRecord.getDefaultInstance()).build(), "Attach");
    refused(Record.newBuilder().setFiles(FilesRecord.getDefaultInstance()).build(), "files");
    refused(Record.newBuilder().setFooter(FooterRecord.getDefaultInstance()).build(), "footer");
    refused(
        Record.newBuilder()
            .setRequest(Request.newBuilder().setFinish(FinishRequest.getDefaultInstance()))
            .build(),
        "its own call");
    refused(Record.getDefaultInstance(), "no type");
  }

  @Test
  void aBatchIsRefusedWholeNamingTheRecord() {
    ServiceException refused =
        assertThrows(
            ServiceException.class,
            () ->
                RemoteRecords.check(
                    Batches.of(Batches.floatRows(0, 1, 1), Batches.partialHistory("x", "{"))));
    assertEquals(ServiceStatus.INVALID_ARGUMENT, refused.status());
    assertTrue(refused.getMessage().startsWith("record 1 of the batch: "), refused.getMessage());
  }
}
