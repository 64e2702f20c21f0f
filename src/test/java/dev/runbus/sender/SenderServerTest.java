package dev.runbus.sender;

import static dev.runbus.sender.SenderHarness.config;
import static dev.runbus.sender.SenderHarness.eventually;
import static dev.runbus.sender.SenderHarness.exit;
import static dev.runbus.sender.SenderHarness.run;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.runbus.proto.FinishResponse;
import dev.runbus.proto.Record;
import dev.runbus.proto.RunRecord;
import dev.runbus.proto.SendProgress;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The Sender against a real runbus server: the run's start, config changes, uploads, stop. */
class SenderServerTest {

  @TempDir Path dir;
  SenderHarness h;

  @BeforeEach
  void start() throws Exception {
    h = new SenderHarness(dir);
  }

  @AfterEach
  void stop() {
    h.close();
  }

  @Test
  void theFirstUpsertCreatesTheRunWithItsConfigTagsNotesAndGroup() throws Exception {
    OnlineSetup setup = h.setup("run00001");
    h.deploy(setup, SenderHarness.fast(h.notices));
    Record run = run("run00001", "lr", "0.01", "layers", "[64, 32]");
    run =
        run.toBuilder()
            .setRun(
                run.getRun().toBuilder()
                    .addTags("baseline")
                    .addTags("fast")
                    .setNotes("first try")
                    .setRunGroup("sweep-a")
                    .setJobType("train"))
            .build();
    h.send(run);
    assertTrue(eventually(() -> h.readRun("run00001") != null), "the run was never created");
    assertTrue(eventually(() -> h.targets.size() == 1), "the FileStream never got its target");
    assertEquals("alice", h.targets.get(0).getEntity());
    assertEquals(SenderHarness.PROJECT, h.targets.get(0).getProject());
    assertEquals("run00001", h.targets.get(0).getRunName());

    JsonObject stored = h.readRun("run00001");
    assertEquals(0.01, stored.getJsonObject("config").getJsonObject("lr").getDouble("value"));
    assertEquals(
        new JsonArray().add(64).add(32),
        stored.getJsonObject("config").getJsonObject("layers").getJsonArray("value"));
    assertTrue(stored.getJsonObject("config").containsKey("_wandb"));
    assertEquals(new JsonArray().add("baseline").add("fast"), stored.getJsonArray("tags"));
    assertEquals("first try", stored.getString("notes"));
    assertEquals("sweep-a", stored.getString("group"));
    assertEquals("train", stored.getString("jobType"));

    h.send(exit(0));
    FinishResponse finished = h.finish();
    SendProgress send = finished.getSend();
    assertTrue(send.getComplete(), send.toString());
    assertFalse(send.getIncomplete(), send.toString());
    assertEquals(h.baseUrl() + "/alice/" + SenderHarness.PROJECT + "/runs/run00001", send.getRunUrl());
    assertEquals(1, h.finishes.size());
    assertTrue(h.finishes.get(0).getComplete());
    assertEquals(3, finished.getRuntimeSeconds());
    assertTrue(h.notices.isEmpty(), h.notices.toString());
  }

  @Test
  void theRunIsCreatedFromTheRecordInitQueuedBeforeAnyRecordArrives() throws Exception {
    Record run = run("run00009", "lr", "0.01");
    h.deploy(h.setup("run00009"), SenderHarness.fast(h.notices), run.getRun());
    // nothing sent through the pipeline yet: the FileStream may post as soon as it can
    assertTrue(eventually(() -> h.targets.size() == 1), "the run was not created at start");
    assertEquals(0.01, h.readRun("run00009").getJsonObject("config").getJsonObject("lr").getDouble("value"));
    // the same record arriving through the pipeline changes nothing
    h.send(run);
    h.send(exit(0));
    assertTrue(h.finish().getSend().getComplete());
    assertEquals(1, h.targets.size());
  }

  @Test
  void theSetupsProjectWinsOverTheRunRecordsAsSyncWithProjectAsks() throws Exception {
    h.deploy(h.setup("run00010"), SenderHarness.fast(h.notices));
    Record run = run("run00010", "lr", "0.01");
    h.send(run.toBuilder().setRun(run.getRun().toBuilder().setProject("where-it-ran")).build());
    assertTrue(eventually(() -> h.targets.size() == 1));
    assertEquals(SenderHarness.PROJECT, h.targets.get(0).getProject());
    assertTrue(h.readRun("run00010") != null, "not created in the setup's project");
  }

  @Test
  void aConfigChangeIsASecondUpsertBeforeTheFinish() throws Exception {
    h.deploy(h.setup("run00002"), SenderHarness.fast(h.notices));
    h.send(run("run00002", "lr", "0.01"));
    assertTrue(eventually(() -> h.targets.size() == 1));
    h.send(config("late_key", "\"added after init\""));
    assertTrue(
        eventually(
            () -> {
              JsonObject stored = h.readRun("run00002");
              return stored != null
                  && stored.getJsonObject("config").containsKey("late_key");
            }),
        "the config change never reached the server");
    JsonObject config = h.readRun("run00002").getJsonObject("config");
    assertEquals("added after init", config.getJsonObject("late_key").getString("value"));
    assertEquals(0.01, config.getJsonObject("lr").getDouble("value"));
  }

  @Test
  void filesAreUploadedAndTheFileStreamToldSkippingTemporariesAndHiddenFiles() throws Exception {
    OnlineSetup setup = h.setup("run00003");
    Path files = setup.filesDir();
    Files.writeString(files.resolve("wandb-metadata.json"), "{\"os\": \"Linux\"}");
    h.deploy(setup, SenderHarness.fast(h.notices));
    h.send(run("run00003", "lr", "0.01"));
    assertTrue(
        eventually(() -> h.readFiles("run00003").contains("wandb-metadata.json")),
        "wandb-metadata.json was not uploaded at the start");
    Files.writeString(files.resolve("config.yaml"), "lr:\n  value: 0.01\n");
    Files.writeString(files.resolve("wandb-summary.json"), "{\"loss\": 0.5}");
    Files.writeString(files.resolve("output.log"), "hello\n");
    Files.createDirectories(files.resolve("media/images"));
    Files.write(files.resolve("media/images/x.png"), new byte[] {1, 2, 3});
    Files.writeString(files.resolve("config.yaml.tmp"), "half");
    Files.writeString(files.resolve(".hidden"), "secret");
    h.send(exit(0));
    FinishResponse finished = h.finish();

    List<String> stored = h.readFiles("run00003");
    assertTrue(
        stored.containsAll(
            List.of("wandb-metadata.json", "config.yaml", "wandb-summary.json", "output.log", "media/images/x.png")),
        stored.toString());
    assertFalse(stored.contains("config.yaml.tmp"), stored.toString());
    assertFalse(stored.contains(".hidden"), stored.toString());
    assertTrue(
        h.uploaded.containsAll(List.of("wandb-metadata.json", "config.yaml", "media/images/x.png")),
        h.uploaded.toString());
    // the metadata went up once: the finish skipped it, unchanged
    assertEquals(1, h.uploaded.stream().filter("wandb-metadata.json"::equals).count(), h.uploaded.toString());
    SendProgress send = finished.getSend();
    assertEquals(5, send.getFilesTotal());
    assertEquals(5, send.getFilesUploaded());
    var counts = h.pollExit().getFileCounts();
    assertEquals(4, counts.getWandbCount(), counts.toString());
    assertEquals(1, counts.getMediaCount(), counts.toString());
  }

  @Test
  void aStopAskedThroughTheReadApiReachesStopStatus() throws Exception {
    h.deploy(h.setup("run00004"), SenderHarness.fast(h.notices));
    h.send(run("run00004"));
    assertTrue(eventually(() -> h.targets.size() == 1));
    assertFalse(h.shouldStop());
    h.stopThroughReadApi("run00004");
    assertTrue(eventually(h::shouldStop), "stop_status never said stop");
    assertTrue(h.pollExit().getSend().getStopRequested());
  }

  @Test
  void theFileStreamsStoppedFlagReachesStopStatus() throws Exception {
    h.deploy(h.setup("run00007"), SenderHarness.fast(h.notices));
    h.send(run("run00007"));
    assertFalse(h.shouldStop());
    h.vertx.eventBus().send(
        dev.runbus.bus.Addresses.sender("run00007"),
        dev.runbus.proto.FileStreamProgress.newBuilder().setStopRequested(true).build(),
        dev.runbus.bus.Bus.protobuf());
    assertTrue(eventually(h::shouldStop), "stop_status never said stop");
  }

  @Test
  void aReplayedLogWithoutAnExitEndsCrashed() throws Exception {
    OnlineSetup setup =
        h.setup("run00005", h.baseUrl(), h.alice.key(), "", java.time.Duration.ofSeconds(30), true);
    h.deploy(setup, SenderHarness.fast(h.notices));
    h.send(run("run00005", "lr", "0.01"));
    FinishResponse finished = h.finish();
    assertTrue(finished.getSend().getComplete(), finished.getSend().toString());
    assertFalse(h.finishes.get(0).getComplete(), "a run without exit must not be posted complete");
    assertEquals("crashed", h.readRun("run00005").getString("state"));
  }

  @Test
  void aRunRecordWithoutEntityGoesToTheKeysUser() throws Exception {
    h.deploy(h.setup("run00006"), SenderHarness.fast(h.notices));
    h.send(Record.newBuilder().setRun(RunRecord.newBuilder().setRunId("run00006")).build());
    assertTrue(eventually(() -> h.targets.size() == 1));
    assertEquals("alice", h.targets.get(0).getEntity());
    assertEquals(SenderHarness.PROJECT, h.targets.get(0).getProject());
  }
}
