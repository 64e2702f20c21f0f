package dev.runbus.writer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.runbus.bus.Addresses;
import dev.runbus.bus.Bus;
import dev.runbus.proto.ConfigRecord;
import dev.runbus.proto.Control;
import dev.runbus.proto.FinishRequest;
import dev.runbus.proto.FinishResponse;
import dev.runbus.proto.HistoryItem;
import dev.runbus.proto.HistoryRecord;
import dev.runbus.proto.LogFlushed;
import dev.runbus.proto.OpenStreamRequest;
import dev.runbus.proto.OutputRawRecord;
import dev.runbus.proto.Record;
import dev.runbus.proto.RecordBatch;
import dev.runbus.proto.Request;
import dev.runbus.proto.Response;
import dev.runbus.proto.Result;
import dev.runbus.proto.RunExitRecord;
import dev.runbus.proto.RunPreemptingRecord;
import dev.runbus.proto.RunRecord;
import dev.runbus.proto.StreamOptions;
import dev.runbus.proto.SummaryRecord;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.ThreadingModel;
import io.vertx.core.Vertx;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The Writer of an online run: hands the Sender only what it sends by GraphQL (history, summaries
 * and console output stay on disk for the FileStream), tells the FileStream how much of the log
 * the OS has, at once for a preemption, and that the log is closed before the Sender finishes.
 */
class OnlineWriterTest {

  @TempDir Path root;
  private Vertx vertx;
  private final List<Record> toSender = new CopyOnWriteArrayList<>();
  private final List<Object> toFileStream = new CopyOnWriteArrayList<>();

  @BeforeEach
  void start() {
    vertx = Vertx.vertx();
    Bus.registerCodec(vertx);
  }

  @AfterEach
  void stop() throws Exception {
    vertx.close().await(10, TimeUnit.SECONDS);
  }

  private WriterVerticle deploy(boolean offline) throws Exception {
    vertx
        .eventBus()
        .<com.google.protobuf.Message>consumer(
            Addresses.sender("r1"),
            m -> {
              if (m.body() instanceof RecordBatch batch) {
                toSender.addAll(batch.getRecordList());
              } else {
                // the finish: the log must already be closed and announced
                toFileStream.add("sender-finish");
                m.reply(
                    Result.newBuilder()
                        .setResponse(
                            Response.newBuilder()
                                .setFinishResponse(FinishResponse.getDefaultInstance()))
                        .build(),
                    Bus.protobuf());
              }
            });
    vertx
        .eventBus()
        .<com.google.protobuf.Message>consumer(
            Addresses.fileStream("r1"), m -> toFileStream.add(m.body()));
    StreamOptions.Builder options =
        StreamOptions.newBuilder()
            .setRootDir(root.toString())
            .setOffline(offline)
            .setFlushIntervalMs(3_600_000) // no tick during the test: only what the code hands over
            .setStartTime(1.7e9);
    if (!offline) {
      options.setBaseUrl("http://127.0.0.1:9").setApiKey("k").setFinishTimeoutMs(1000);
    }
    WriterVerticle writer =
        new WriterVerticle(OpenStreamRequest.newBuilder().setRunId("r1").setOptions(options).build());
    vertx
        .deployVerticle(writer, new DeploymentOptions().setThreadingModel(ThreadingModel.WORKER))
        .await(10, TimeUnit.SECONDS);
    return writer;
  }

  private void send(Record... records) throws Exception {
    vertx
        .eventBus()
        .request(
            Addresses.writer("r1"),
            RecordBatch.newBuilder().addAllRecord(List.of(records)).build(),
            Bus.protobuf())
        .await(10, TimeUnit.SECONDS);
  }

  private static Record history(int step) {
    return Record.newBuilder()
        .setHistory(
            HistoryRecord.newBuilder()
                .addItem(HistoryItem.newBuilder().setKey("loss").setValueJson("0.5"))
                .addItem(HistoryItem.newBuilder().setKey("_step").setValueJson("" + step)))
        .build();
  }

  @Test
  void theSenderGetsWhatItSendsByGraphQlAndNothingThatStaysOnDisk() throws Exception {
    deploy(false);
    send(
        Record.newBuilder().setRun(RunRecord.newBuilder().setRunId("r1")).build(),
        Record.newBuilder().setConfig(ConfigRecord.getDefaultInstance()).build(),
        history(0),
        history(1),
        Record.newBuilder().setSummary(SummaryRecord.getDefaultInstance()).build(),
        Record.newBuilder().setOutputRaw(OutputRawRecord.newBuilder().setLine("hi\n")).build(),
        Record.newBuilder()
            .setExit(RunExitRecord.newBuilder().setExitCode(3))
            .setControl(Control.newBuilder().setAlwaysSend(true))
            .build());
    waitFor(() -> toSender.size() >= 3);
    assertEquals(
        List.of(Record.RecordTypeCase.RUN, Record.RecordTypeCase.CONFIG, Record.RecordTypeCase.EXIT),
        toSender.stream().map(Record::getRecordTypeCase).toList());
  }

  @Test
  void offlineTheSenderGetsOnlyWhatIsMarkedAlwaysSendAndTheFileStreamNothing() throws Exception {
    deploy(true);
    send(
        Record.newBuilder().setRun(RunRecord.newBuilder().setRunId("r1")).build(),
        history(0),
        Record.newBuilder()
            .setExit(RunExitRecord.newBuilder().setExitCode(0))
            .setControl(Control.newBuilder().setAlwaysSend(true))
            .build());
    waitFor(() -> toSender.size() >= 1);
    assertEquals(
        List.of(Record.RecordTypeCase.EXIT),
        toSender.stream().map(Record::getRecordTypeCase).toList());
    assertEquals(List.of(), toFileStream);
  }

  @Test
  void theFileStreamHearsOfWhatTheOsHasAndOfAPreemptionAtOnce() throws Exception {
    WriterVerticle writer = deploy(false);
    // the run's first records go to the OS at once (before the first row), and are announced
    send(Record.newBuilder().setRun(RunRecord.newBuilder().setRunId("r1")).build(), history(0));
    waitFor(() -> toFileStream.stream().anyMatch(LogFlushed.class::isInstance));
    long afterStart = lastFlushed().getBytesFlushed();
    assertEquals(Files.size(writer.directory().logFile()), afterStart);
    // later rows wait for the tick (an hour away here) ...
    send(history(1));
    assertEquals(afterStart, lastFlushed().getBytesFlushed());
    // ... but a preemption is handed over and announced at once
    send(Record.newBuilder().setPreempting(RunPreemptingRecord.getDefaultInstance()).build());
    waitFor(() -> lastFlushed().getBytesFlushed() > afterStart);
    assertEquals(Files.size(writer.directory().logFile()), lastFlushed().getBytesFlushed());
  }

  @Test
  void theLogIsClosedAndAnnouncedBeforeTheSenderIsAskedToFinish() throws Exception {
    WriterVerticle writer = deploy(false);
    send(Record.newBuilder().setRun(RunRecord.newBuilder().setRunId("r1")).build(), history(0));
    vertx
        .eventBus()
        .request(
            Addresses.writer("r1"),
            Record.newBuilder()
                .setRequest(Request.newBuilder().setFinish(FinishRequest.getDefaultInstance()))
                .build(),
            Bus.protobuf())
        .await(10, TimeUnit.SECONDS);
    int closed = -1;
    int finish = toFileStream.indexOf("sender-finish");
    for (int i = 0; i < toFileStream.size(); i++) {
      if (toFileStream.get(i) instanceof LogFlushed flushed && flushed.getClosed()) {
        closed = i;
        assertEquals(Files.size(writer.directory().logFile()), flushed.getBytesFlushed());
      }
    }
    assertTrue(closed >= 0 && closed < finish, "closed at " + closed + ", finish at " + finish);
  }

  private LogFlushed lastFlushed() {
    LogFlushed last = null;
    for (Object o : toFileStream) {
      if (o instanceof LogFlushed flushed) {
        last = flushed;
      }
    }
    if (last == null) {
      throw new AssertionError("the FileStream heard nothing: " + toFileStream);
    }
    return last;
  }

  private static void waitFor(java.util.function.BooleanSupplier condition) throws Exception {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("condition not met within 10 s");
      }
      Thread.sleep(10);
    }
  }
}
