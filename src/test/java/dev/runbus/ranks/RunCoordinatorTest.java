package dev.runbus.ranks;

import static dev.runbus.ranks.RankRecords.block;
import static dev.runbus.ranks.RankRecords.exit;
import static dev.runbus.ranks.RankRecords.log;
import static dev.runbus.ranks.RankRecords.rows;
import static dev.runbus.ranks.RankRecords.summary;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.runbus.proto.RankIdentity;
import dev.runbus.proto.RankState;
import dev.runbus.proto.Record;
import dev.runbus.service.ServiceException;
import dev.runbus.service.ServiceStatus;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class RunCoordinatorTest {

  private final AtomicLong clock = new AtomicLong(1_000_000);
  private final List<Record> out = new ArrayList<>();

  private RunCoordinator coordinator(int world) {
    return new RunCoordinator("r1", 0, world, 16, clock::get);
  }

  private static RankIdentity rank(int rank, int world) {
    return RankIdentity.newBuilder().setRank(rank).setWorldSize(world).setHost("h" + rank).setPid(100 + rank).build();
  }

  private void send(RunCoordinator coordinator, RankSession rank, Record... records) {
    for (Record record : records) {
      coordinator.take(rank, record, out);
    }
    coordinator.afterBatch(rank, out);
  }

  private static Record lossBlock(int rows, int rank) {
    return block(List.of("loss", "_timestamp", "_runtime"), rows, (r, k) -> k == 0 ? rank + "." + r : k == 1 ? "17000000" + rank : "0.5");
  }

  @Test
  void rowsOfSeveralRanksAtOneStepJoinOneRowWithRankLabels() {
    RunCoordinator coordinator = coordinator(3);
    RankSession[] ranks = new RankSession[3];
    for (int r = 0; r < 3; r++) {
      ranks[r] = coordinator.attach(rank(r, 3), true);
    }
    for (int r = 0; r < 3; r++) {
      send(coordinator, ranks[r], lossBlock(100, r));
    }
    Map<Long, Map<String, String>> rows = rows(out);
    assertEquals(100, rows.size());
    Map<String, String> row = rows.get(42L);
    assertEquals("0.42", row.get("rank0/loss"));
    assertEquals("1.42", row.get("rank1/loss"));
    assertEquals("2.42", row.get("rank2/loss"));
    // reserved keys are the row's, not a rank's: the lowest rank's timestamp, no rank's runtime
    assertEquals("170000000", row.get("_timestamp"));
    assertFalse(row.containsKey("_runtime"));
    assertEquals(4, row.size());
    // one block for all of it: the Handler's fast path
    assertEquals(1, out.stream().filter(r -> r.getRequest().hasLogRows()).count());
  }

  @Test
  void aWindowReleasedAtOnceLeavesAsBlocksOfAtMost512Steps() {
    RunCoordinator coordinator = coordinator(2);
    RankSession fast = coordinator.attach(rank(0, 2), true);
    RankSession slow = coordinator.attach(rank(1, 2), true);
    for (int part = 0; part < 5; part++) {
      send(coordinator, fast, lossBlock(500, 0));
    }
    assertTrue(out.isEmpty(), "rank 0's 2,500 rows wait for rank 1");
    send(coordinator, slow, lossBlock(2500, 1)); // the straggler catches up in one go
    List<Record> blocks = out.stream().filter(r -> r.getRequest().hasLogRows()).toList();
    assertEquals(5, blocks.size(), "2,500 steps as 512-step blocks, never one block of all");
    for (Record block : blocks) {
      int keys = block.getRequest().getLogRows().getKeyCount();
      assertTrue(rowsIn(block) <= MergedRows.MAX_BLOCK_ROWS, rowsIn(block) + " rows of " + keys + " keys");
    }
    assertEquals(2500, rows(out).size());
    assertEquals("1.2499", rows(out).get(2499L).get("rank1/loss"));
  }

  private static int rowsIn(Record block) {
    var rows = block.getRequest().getLogRows();
    return dev.runbus.bus.ValueCursor.count(rows.getValues().toByteArray()) / rows.getKeyCount();
  }

  @Test
  void aRankAheadWaitsForTheOthersStepsBeforeAnyRowLeaves() {
    RunCoordinator coordinator = coordinator(2);
    RankSession fast = coordinator.attach(rank(0, 2), true);
    RankSession slow = coordinator.attach(rank(1, 2), true);
    send(coordinator, fast, lossBlock(50, 0));
    assertTrue(rows(out).isEmpty(), "nothing leaves before rank 1 is past the step");
    assertTrue(coordinator.heldBytes() > 0);
    send(coordinator, slow, lossBlock(20, 1));
    Map<Long, Map<String, String>> rows = rows(out);
    assertEquals(20, rows.size());
    assertEquals("1.19", rows.get(19L).get("rank1/loss"));
    send(coordinator, slow, lossBlock(30, 1));
    rows = rows(out);
    assertEquals(50, rows.size());
    assertEquals("1.29", rows.get(49L).get("rank1/loss"));
    assertEquals("0.49", rows.get(49L).get("rank0/loss"));
    assertEquals(0, coordinator.heldBytes());
  }

  @Test
  void anExpectedRankThatNeverAttachedHoldsStepsBack() {
    RunCoordinator coordinator = coordinator(2);
    RankSession first = coordinator.attach(rank(0, 2), true);
    send(coordinator, first, lossBlock(5, 0));
    assertTrue(rows(out).isEmpty(), "rank 1 is expected: its steps are not complete");
  }

  @Test
  void aRankThatVanishesStopsHoldingStepsBackAndIsRecorded() {
    RunCoordinator coordinator = coordinator(2);
    RankSession alive = coordinator.attach(rank(0, 2), true);
    RankSession dying = coordinator.attach(rank(1, 2), true);
    send(coordinator, dying, lossBlock(10, 1));
    send(coordinator, alive, lossBlock(30, 0));
    assertEquals(10, rows(out).size());
    coordinator.end(dying, RankState.RANK_VANISHED, "its process left the cluster", out);
    Map<Long, Map<String, String>> rows = rows(out);
    assertEquals(30, rows.size());
    assertEquals("1.9", rows.get(9L).get("rank1/loss"), "what it sent before it died stays");
    assertFalse(rows.get(10L).containsKey("rank1/loss"));
    assertTrue(out.stream().anyMatch(r -> r.hasOutputRaw() && r.getOutputRaw().getLine().contains("rank 1 (h1, pid 101) vanished")));
    out.clear();
    send(coordinator, alive, exit(0));
    coordinator.finished(alive, out);
    coordinator.close(out);
    String ranks = summaryValue(out, "ranks");
    assertTrue(ranks.contains("\"0\":{\"state\":\"finished\",\"exit_code\":0,\"rows\":30"), ranks);
    assertTrue(ranks.contains("\"1\":{\"state\":\"vanished\",\"rows\":10"), ranks);
    assertTrue(out.get(out.size() - 1).hasExit(), "the run's exit comes last");
  }

  @Test
  void aStragglerIsLeftBehindAfterTheTimeoutAndItsLaterRowsMovePastWithoutLoss() {
    RunCoordinator coordinator = coordinator(2);
    RankSession steady = coordinator.attach(rank(0, 2), true);
    RankSession late = coordinator.attach(rank(1, 2), true);
    send(coordinator, late, lossBlock(5, 1));
    send(coordinator, steady, lossBlock(40, 0));
    assertEquals(5, rows(out).size());
    assertFalse(coordinator.releaseStragglers(30_000, out), "not yet");
    clock.addAndGet(30_000);
    assertTrue(coordinator.releaseStragglers(30_000, out));
    assertEquals(40, rows(out).size());
    assertTrue(out.stream().anyMatch(r -> r.hasOutputRaw() && r.getOutputRaw().getLine().contains("rank 1 (h1, pid 101) sent no row for 30 s")));
    // the straggler's rows for steps 5..9 arrive now: moved to 40..44, in order, none lost
    send(coordinator, late, lossBlock(5, 1));
    send(coordinator, steady, lossBlock(10, 0));
    Map<Long, Map<String, String>> rows = rows(out);
    assertEquals(45, rows.size());
    assertEquals("1.0", rows.get(40L).get("rank1/loss"));
    assertEquals("1.4", rows.get(44L).get("rank1/loss"));
    assertEquals("0.4", rows.get(44L).get("rank0/loss"), "rank 0's rows 40..44 (its own steps) join them");
  }

  @Test
  void aRanksSummaryFollowsTheRowsItLoggedBeforeIt() {
    RunCoordinator coordinator = coordinator(2);
    RankSession a = coordinator.attach(rank(0, 2), true);
    RankSession b = coordinator.attach(rank(1, 2), true);
    send(coordinator, a, lossBlock(3, 0), summary("best", "7"));
    assertTrue(out.isEmpty(), "the summary waits behind rank 0's rows, which wait for rank 1");
    send(coordinator, b, lossBlock(3, 1));
    int lastRow = -1;
    int summaryAt = -1;
    for (int i = 0; i < out.size(); i++) {
      if (out.get(i).hasRequest()) {
        lastRow = i;
      }
      if (out.get(i).hasSummary()) {
        summaryAt = i;
        assertEquals("rank0/best", out.get(i).getSummary().getUpdate(0).getKey());
      }
    }
    assertTrue(summaryAt > lastRow, "summary after the rows");
  }

  @Test
  void explicitStepsAndUncommittedRowsMergeAtTheirSteps() {
    RunCoordinator coordinator = coordinator(2);
    RankSession a = coordinator.attach(rank(0, 2), true);
    RankSession b = coordinator.attach(rank(1, 2), true);
    send(coordinator, a, log(Map.of("acc", "0.5"), 10, false), log(Map.of("loss", "1"), 10, true));
    send(coordinator, b, log(Map.of("val", "\"x\""), 10, null));
    assertTrue(rows(out).isEmpty(), "rank 1's row at step 10 is not committed (§2.3): step 10 is not complete");
    send(coordinator, b, log(Map.of("val2", "2"), 10, true));
    Map<Long, Map<String, String>> rows = rows(out);
    assertEquals(1, rows.size());
    assertEquals(Map.of("rank0/acc", "0.5", "rank0/loss", "1", "rank1/val", "\"x\"", "rank1/val2", "2"), rows.get(10L));
  }

  @Test
  void oneRankRunKeepsItsKeysAsLogged() {
    RunCoordinator coordinator = coordinator(1);
    RankSession only = coordinator.attach(rank(0, 1), false);
    send(coordinator, only, lossBlock(3, 0));
    assertEquals("0.2", rows(out).get(2L).get("loss"));
    out.clear();
    send(coordinator, only, exit(3));
    coordinator.finished(only, out);
    coordinator.close(out);
    assertTrue(out.stream().noneMatch(Record::hasSummary), "no rank summary for a run of one");
    assertEquals(3, out.get(out.size() - 1).getExit().getExitCode());
  }

  @Test
  void aVanishedRankThatComesBackContinuesPastWhatTheRunHolds() {
    RunCoordinator coordinator = coordinator(2);
    RankSession steady = coordinator.attach(rank(0, 2), true);
    RankSession dying = coordinator.attach(rank(1, 2), true);
    send(coordinator, dying, lossBlock(10, 1));
    send(coordinator, steady, lossBlock(20, 0));
    coordinator.end(dying, RankState.RANK_VANISHED, "killed", out);
    RankSession back = coordinator.attach(rank(1, 2), true);
    send(coordinator, back, lossBlock(5, 1));
    send(coordinator, steady, lossBlock(10, 0));
    Map<Long, Map<String, String>> rows = rows(out);
    assertEquals(25, rows.size(), "steps 25..29 wait for the rank that came back: it is live again");
    assertEquals("1.9", rows.get(9L).get("rank1/loss"), "the first life's rows stay");
    assertEquals("1.0", rows.get(20L).get("rank1/loss"), "the second life starts past them");
    assertEquals("1.4", rows.get(24L).get("rank1/loss"));
    ServiceException twice = assertThrows(ServiceException.class, () -> coordinator.attach(rank(1, 2), true));
    assertEquals(ServiceStatus.ALREADY_EXISTS, twice.status(), "only a vanished rank may come back");
  }

  @Test
  void theWrongRanksAreRefusedWithTheirReason() {
    RunCoordinator coordinator = coordinator(2);
    coordinator.attach(rank(0, 2), true);
    ServiceException twice = assertThrows(ServiceException.class, () -> coordinator.attach(rank(0, 2), true));
    assertEquals(ServiceStatus.ALREADY_EXISTS, twice.status());
    ServiceException outside = assertThrows(ServiceException.class, () -> coordinator.attach(rank(2, 3), true));
    assertEquals(ServiceStatus.INVALID_ARGUMENT, outside.status());
    ServiceException unknown = assertThrows(ServiceException.class, () -> coordinator.session(1));
    assertEquals(ServiceStatus.NOT_FOUND, unknown.status());
  }

  @Test
  void closingWithRanksStillAttachedRecordsThemAsTimedOut() {
    RunCoordinator coordinator = coordinator(3);
    RankSession primary = coordinator.attach(rank(0, 3), true);
    coordinator.attach(rank(1, 3), true);
    send(coordinator, primary, lossBlock(2, 0), exit(0));
    coordinator.finished(primary, out);
    coordinator.close(out);
    String ranks = summaryValue(out, "ranks");
    assertTrue(ranks.contains("\"1\":{\"state\":\"timed_out\""), ranks);
    assertTrue(ranks.contains("\"2\":{\"state\":\"never_attached\"}"), ranks);
    assertEquals(2, rows(out).size(), "the primary's rows were not held back for ever");
  }

  private static String summaryValue(List<Record> records, String key) {
    for (Record record : records) {
      if (record.hasSummary() && record.getSummary().getUpdate(0).getKey().equals(key)) {
        return record.getSummary().getUpdate(0).getValueJson();
      }
    }
    throw new AssertionError("no summary " + key);
  }
}
