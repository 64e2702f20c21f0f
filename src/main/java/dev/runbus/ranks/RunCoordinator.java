package dev.runbus.ranks;

import com.google.protobuf.Timestamp;
import dev.runbus.handler.RankRowStepper;
import dev.runbus.proto.ConfigRecord;
import dev.runbus.proto.HistoryItem;
import dev.runbus.proto.MetricRecord;
import dev.runbus.proto.OutputRawRecord;
import dev.runbus.proto.RankIdentity;
import dev.runbus.proto.RankState;
import dev.runbus.proto.Record;
import dev.runbus.proto.RunExitRecord;
import dev.runbus.proto.SummaryItem;
import dev.runbus.proto.SummaryRecord;
import dev.runbus.service.ServiceException;
import dev.runbus.service.ServiceStatus;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.LongSupplier;

/**
 * The coordinator of one hosted run with any number of ranks, without Vert.x: takes each rank's
 * records, merges their rows by step ({@link StepMerger}), names their keys ({@link KeyLabels}),
 * keeps each rank's other records in order behind its rows, and decides what the run's Handler
 * receives and when. Rank 0 is the primary: its exit ends the run, after the other ranks.
 *
 * <p>Not thread-safe: one event loop owns it.
 */
final class RunCoordinator {

  /** A rank's record that waits until the rows the rank logged before it have left the window. */
  private record Queued(long afterStep, Record record, long bytes) {}

  private final String runId;
  private final long startingStep;
  private final int worldSize;
  private final int maxRanks;
  private final LongSupplier clockMillis;
  private final StepMerger merger;
  private final MergedRows merged;
  private final Map<Integer, RankSession> sessions = new TreeMap<>();
  private final Map<Integer, ArrayDeque<Queued>> queued = new TreeMap<>();
  private final TreeSet<Integer> expected = new TreeSet<>();
  private long queuedBytes;
  private int creatorRank = -1;
  private Record heldExit;
  /** When the window's oldest rows started waiting; -1 while it is empty. */
  private long waitingSince = -1;

  RunCoordinator(
      String runId, long startingStep, int worldSize, int maxRanks, LongSupplier clockMillis) {
    this.runId = runId;
    this.startingStep = startingStep;
    this.worldSize = worldSize;
    this.maxRanks = maxRanks;
    this.clockMillis = clockMillis;
    this.merger = new StepMerger(startingStep);
    this.merged = new MergedRows(startingStep);
    for (int rank = 0; rank < worldSize; rank++) {
      expected.add(rank);
      merger.expect(rank); // steps wait for every rank the job has, attached yet or not
    }
  }

  int worldSize() {
    return worldSize;
  }

  /**
   * Attaches a rank.
   *
   * @throws ServiceException ALREADY_EXISTS, INVALID_ARGUMENT, RESOURCE_EXHAUSTED
   */
  RankSession attach(RankIdentity identity, boolean labelKeys) {
    int rank = identity.getRank();
    if (rank < 0 || (worldSize > 0 && rank >= worldSize)) {
      throw new ServiceException(
          ServiceStatus.INVALID_ARGUMENT,
          "rank " + rank + " is outside run " + runId + "'s world of " + worldSize + " ranks");
    }
    if (identity.getWorldSize() != worldSize && !(identity.getWorldSize() <= 1 && worldSize <= 1)) {
      throw new ServiceException(
          ServiceStatus.INVALID_ARGUMENT,
          "rank "
              + rank
              + " says the world has "
              + identity.getWorldSize()
              + " ranks, but run "
              + runId
              + " was opened with "
              + worldSize);
    }
    RankSession existing = sessions.get(rank);
    if (existing != null && existing.state != RankState.RANK_VANISHED) {
      throw new ServiceException(
          ServiceStatus.ALREADY_EXISTS,
          existing.describe() + " is already attached to run " + runId + " (" + RankOutcomes.word(existing.state) + ")");
    }
    if (sessions.size() >= maxRanks) {
      throw new ServiceException(
          ServiceStatus.RESOURCE_EXHAUSTED,
          "run " + runId + " has " + sessions.size() + " ranks, the most this service takes");
    }
    RankSession session = new RankSession(identity, labelKeys, startingStep);
    if (existing != null) {
      // a restarted worker (elastic training) takes its rank back; its steps start again from
      // the beginning, so its rows move past what the run already holds (StepMerger's shift)
      session.historyRows = existing.historyRows;
      session.note = "re-attached after it vanished";
    }
    sessions.put(rank, session);
    expected.remove(rank);
    merger.expect(rank);
    if (creatorRank < 0) {
      creatorRank = rank;
    }
    return session;
  }

  /** @throws ServiceException NOT_FOUND when {@code rank} never attached */
  RankSession session(int rank) {
    RankSession session = sessions.get(rank);
    if (session == null) {
      throw new ServiceException(
          ServiceStatus.NOT_FOUND, "rank " + rank + " is not attached to run " + runId);
    }
    return session;
  }

  /** Ranks attached and not ended. */
  List<RankSession> attachedRanks() {
    List<RankSession> attached = new ArrayList<>();
    for (RankSession session : sessions.values()) {
      if (session.attached()) {
        attached.add(session);
      }
    }
    return attached;
  }

  /** Ranks attached from a cluster node. */
  List<Integer> ranksOfNode(String nodeId) {
    List<Integer> ranks = new ArrayList<>();
    for (RankSession session : sessions.values()) {
      if (session.attached() && session.identity.getNodeId().equals(nodeId)) {
        ranks.add(session.rank());
      }
    }
    return ranks;
  }

  /**
   * Takes one record a rank sent in a batch; what the Handler may have at once goes to {@code out}.
   *
   * @throws ServiceException INVALID_ARGUMENT for a record no client may send
   */
  void take(RankSession rank, Record record, List<Record> out) {
    switch (record.getRecordTypeCase()) {
      case HISTORY -> history(rank, record);
      case REQUEST -> {
        if (RankRowStepper.isHistory(record)) {
          history(rank, record);
        } else if (!record.getRequest().hasRunStart()) { // the service started the run itself
          queue(rank, record, out);
        }
      }
      case RUN -> {
        rank.recordsAccepted++;
        ConfigRecord config = record.getRun().getConfig();
        if (rank.rank() != creatorRank && config.getUpdateCount() > 0) {
          // the run was opened with the first rank's record; another rank's config joins it
          queue(rank, Record.newBuilder().setConfig(config).build(), out);
        }
      }
      case TELEMETRY -> {
        rank.recordsAccepted++;
        if (rank.rank() == creatorRank) {
          queue(rank, record, out);
        }
      }
      case SUMMARY -> {
        rank.recordsAccepted++;
        queue(rank, Record.newBuilder(record).setSummary(labelled(rank, record.getSummary())).build(), out);
      }
      case METRIC -> {
        rank.recordsAccepted++;
        queue(rank, Record.newBuilder(record).setMetric(labelled(rank, record.getMetric())).build(), out);
      }
      case STATS -> {
        rank.recordsAccepted++;
        queue(rank, RankStats.labelled(rank.identity, record), out);
      }
      case OUTPUT_RAW -> {
        rank.recordsAccepted++;
        queue(rank, RankConsole.labelled(rank.identity, record), out);
      }
      case EXIT -> {
        rank.recordsAccepted++;
        rank.exitCode = record.getExit().getExitCode();
        if (rank.rank() == 0) {
          heldExit = record; // the run's own exit: once every rank is done
        }
      }
      case HEADER, FOOTER, FINAL ->
          throw new ServiceException(
              ServiceStatus.INVALID_ARGUMENT,
              "a client may not send a " + record.getRecordTypeCase().name().toLowerCase() + " record: the service's Writer writes it");
      case RECORDTYPE_NOT_SET ->
          throw new ServiceException(ServiceStatus.INVALID_ARGUMENT, "an empty record (no type set)");
      default -> {
        rank.recordsAccepted++;
        queue(rank, record, out);
      }
    }
  }

  private void history(RankSession rank, Record record) {
    long before = rank.historyRows;
    try {
      rank.stepper.offer(record, rowsOf(rank));
    } catch (IllegalArgumentException malformed) {
      throw new ServiceException(
          ServiceStatus.INVALID_ARGUMENT, rank.describe() + ": " + malformed.getMessage());
    }
    rank.recordsAccepted +=
        record.hasRequest() && record.getRequest().hasLogRows()
            ? Math.max(1, rank.historyRows - before)
            : 1;
  }

  private RankRowStepper.Rows rowsOf(RankSession rank) {
    return new RankRowStepper.Rows() {
      @Override
      public void blockRow(long step, List<String> keys, byte[] values, int start, int end) {
        add(RankRow.block(rank.rank(), step, rank.labels.keys(keys), values, start, end), rank);
      }

      @Override
      public void itemRow(long step, List<HistoryItem> items) {
        add(RankRow.items(rank.rank(), step, rank.labels.items(items)), rank);
      }
    };
  }

  private void add(RankRow row, RankSession rank) {
    if (merger.rows() == 0) {
      waitingSince = clockMillis.getAsLong();
    }
    merger.add(row);
    rank.historyRows++;
  }

  /** After a rank's batch: its steps so far are complete; whatever every rank is past leaves. */
  void afterBatch(RankSession rank, List<Record> out) {
    merger.completeBelow(rank.rank(), rank.stepper.currentStep());
    commit(merger.takeReady(), out);
  }

  /**
   * A rank ended: by its finish (the state from its exit code), or it vanished. Its pending row is
   * flushed, no step waits for it any more.
   */
  void end(RankSession rank, RankState state, String note, List<Record> out) {
    if (!rank.attached()) {
      return;
    }
    rank.stepper.flush(rowsOf(rank));
    rank.state = state;
    rank.note = note;
    merger.leave(rank.rank());
    if (state == RankState.RANK_VANISHED) {
      queue(rank, consoleLine("runbus: " + rank.describe() + " vanished: " + note), out);
    }
    commit(merger.takeReady(), out);
  }

  /** A rank's finish: finished or failed, by its exit code. */
  void finished(RankSession rank, List<Record> out) {
    end(rank, rank.exitCode == 0 ? RankState.RANK_FINISHED : RankState.RANK_FAILED, "", out);
  }

  /**
   * When the window's oldest rows have waited {@code timeoutMillis} for ranks that send nothing,
   * stops waiting for them: everything in the window leaves, and those ranks' later rows are
   * shifted past it. Says so in the run's console output.
   *
   * @return whether it stopped waiting
   */
  boolean releaseStragglers(long timeoutMillis, List<Record> out) {
    if (waitingSince < 0 || merger.rows() == 0) {
      return false;
    }
    if (clockMillis.getAsLong() - waitingSince < timeoutMillis) {
      return false;
    }
    List<Integer> late = merger.holdingBack();
    long oldest = merger.oldestStep();
    List<StepMerger.Slot> slots = merger.takeAll();
    for (int rank : late) {
      RankSession session = sessions.get(rank);
      String who = session != null ? session.describe() : "rank " + rank + " (not attached yet)";
      out.add(
          consoleLine(
              "runbus: "
                  + who
                  + " sent no row for "
                  + timeoutMillis / 1000
                  + " s; steps "
                  + oldest
                  + " to "
                  + merger.lastCommitted()
                  + " were recorded without it, and its later rows move past them"));
    }
    commit(slots, out);
    return true;
  }

  /**
   * The end of the run: ranks still attached timed out, expected ranks never came, every row
   * leaves, every queued record follows, the ranks' outcomes go into the summary, and the primary's
   * exit comes last.
   */
  void close(List<Record> out) {
    close(0, out);
  }

  /**
   * As {@link #close(List)}; {@code exitCode} is the run's when the primary sent no exit of its own
   * (the service is stopping under it: 143, as a process ended by SIGTERM).
   */
  void close(int exitCode, List<Record> out) {
    for (RankSession rank : sessions.values()) {
      if (rank.attached()) {
        rank.stepper.flush(rowsOf(rank));
        rank.state = RankState.RANK_TIMED_OUT;
        rank.note = "still attached when the primary finished";
        merger.leave(rank.rank());
      }
    }
    for (int rank : expected) {
      merger.leave(rank);
    }
    commit(merger.takeAll(), out);
    if (worldSize > 1 || sessions.size() > 1) {
      out.add(
          Record.newBuilder()
              .setSummary(
                  SummaryRecord.newBuilder()
                      .addUpdate(
                          SummaryItem.newBuilder()
                              .setKey(RankOutcomes.SUMMARY_KEY)
                              .setValueJson(RankOutcomes.summaryJson(sessions, expected))))
              .build());
    }
    out.add(
        heldExit != null
            ? heldExit
            : Record.newBuilder().setExit(RunExitRecord.newBuilder().setExitCode(exitCode)).build());
    heldExit = null;
  }

  /** Live ranks the window's oldest step waits for. */
  List<Integer> holdingBack() {
    return merger.holdingBack();
  }

  /** Bytes the coordinator holds for the Handler: the merge window and the records behind it. */
  long heldBytes() {
    return merger.bytes() + queuedBytes;
  }

  boolean primaryExited() {
    return heldExit != null;
  }

  private void commit(List<StepMerger.Slot> slots, List<Record> out) {
    if (!slots.isEmpty()) {
      out.addAll(merged.encode(slots));
    }
    waitingSince = merger.rows() == 0 ? -1 : clockMillis.getAsLong();
    releaseQueued(out);
  }

  /**
   * Queues a rank's record behind the rows it logged before it; at once when they have all left.
   */
  private void queue(RankSession rank, Record record, List<Record> out) {
    long after = rank.stepper.currentStep() - 1 + merger.shift(rank.rank());
    ArrayDeque<Queued> queue = queued.get(rank.rank());
    if (after <= merger.lastCommitted() && (queue == null || queue.isEmpty())) {
      out.add(record);
      return;
    }
    long bytes = record.getSerializedSize() + RankRow.OVERHEAD;
    queued.computeIfAbsent(rank.rank(), r -> new ArrayDeque<>()).add(new Queued(after, record, bytes));
    queuedBytes += bytes;
  }

  private void releaseQueued(List<Record> out) {
    long through = merger.lastCommitted();
    for (ArrayDeque<Queued> queue : queued.values()) {
      while (!queue.isEmpty() && (queue.peek().afterStep() <= through || merger.rows() == 0)) {
        Queued next = queue.poll();
        queuedBytes -= next.bytes();
        out.add(next.record());
      }
    }
  }

  private static SummaryRecord labelled(RankSession rank, SummaryRecord summary) {
    SummaryRecord.Builder out = summary.toBuilder().clearUpdate().clearRemove();
    for (SummaryItem item : summary.getUpdateList()) {
      out.addUpdate(labelled(rank, item));
    }
    for (SummaryItem item : summary.getRemoveList()) {
      out.addRemove(labelled(rank, item));
    }
    return out.build();
  }

  private static SummaryItem labelled(RankSession rank, SummaryItem item) {
    if (!item.getKey().isEmpty()) {
      return item.toBuilder().setKey(rank.labels.key(item.getKey())).build();
    }
    if (item.getNestedKeyCount() == 0) {
      return item;
    }
    return item.toBuilder().setNestedKey(0, rank.labels.key(item.getNestedKey(0))).build();
  }

  private static MetricRecord labelled(RankSession rank, MetricRecord metric) {
    MetricRecord.Builder out = metric.toBuilder();
    if (!metric.getName().isEmpty()) {
      out.setName(rank.labels.key(metric.getName()));
    }
    if (!metric.getGlobName().isEmpty()) {
      out.setGlobName(rank.labels.key(metric.getGlobName()));
    }
    if (!metric.getStepMetric().isEmpty()) {
      out.setStepMetric(rank.labels.key(metric.getStepMetric()));
    }
    return out.build();
  }

  /** A line in the run's console output (output.log), as stderr. */
  Record consoleLine(String text) {
    long millis = System.currentTimeMillis();
    return Record.newBuilder()
        .setOutputRaw(
            OutputRawRecord.newBuilder()
                .setOutputType(OutputRawRecord.OutputType.STDERR)
                .setTimestamp(
                    Timestamp.newBuilder()
                        .setSeconds(millis / 1000)
                        .setNanos((int) (millis % 1000) * 1_000_000))
                .setLine(text + "\n"))
        .build();
  }
}
