package dev.runbus.ranks;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The merge window of a run with several ranks: each rank's complete rows wait here, by step,
 * until every live rank is past that step; then the step's rows from all ranks leave together as
 * one history row. Steps leave in order and never again: the run's history is monotonic.
 *
 * <p>A rank is <em>live</em> from when it is expected (the world size names it) or attaches until
 * it finishes or leaves; only live ranks hold steps back. A rank whose row arrives for a step that
 * already left (it fell behind and the coordinator stopped waiting for it) is shifted: that row
 * and all its later ones move up by the same amount, to the first step still open, so none of its
 * rows is lost or overwritten and their spacing is kept.
 *
 * <p>Not thread-safe: one coordinator's event loop owns it.
 */
final class StepMerger {

  /** One step's rows, at most one per rank, in rank order. */
  static final class Slot {
    final long step;
    final List<RankRow> rows = new ArrayList<>(4);

    Slot(long step) {
      this.step = step;
    }

    void add(RankRow row) {
      int at = rows.size();
      while (at > 0 && rows.get(at - 1).rank() > row.rank()) {
        at--;
      }
      if (at > 0 && rows.get(at - 1).rank() == row.rank()) {
        throw new IllegalStateException(
            "rank " + row.rank() + " gave two rows at step " + step);
      }
      rows.add(at, row);
    }
  }

  /** A live rank's progress: every step up to {@code completeThrough} is complete for it. */
  private static final class Progress {
    long completeThrough;
    long shift;

    Progress(long completeThrough) {
      this.completeThrough = completeThrough;
    }
  }

  /** What a step costs the window beyond its rows: its slot, list, map entry and boxed key. */
  static final long SLOT_OVERHEAD = 160;

  private final TreeMap<Long, Slot> window = new TreeMap<>();
  private final TreeMap<Integer, Progress> live = new TreeMap<>();
  /** Shifts of ranks that are no longer live but may still send (a rank that left late). */
  private final Map<Integer, Long> shifts = new TreeMap<>();
  private long bytes;
  private long rows;
  /** The highest step that left; the next one must be higher. */
  private long lastCommitted;

  /** @param startingStep the run's first step (a resumed run's is higher than 0) */
  StepMerger(long startingStep) {
    this.lastCommitted = startingStep - 1;
  }

  /** Makes {@code rank} live: steps wait for it until it gives rows past them, finishes or leaves. */
  void expect(int rank) {
    live.computeIfAbsent(rank, r -> new Progress(lastCommitted));
  }

  boolean isLive(int rank) {
    return live.containsKey(rank);
  }

  /**
   * Adds a rank's complete row.
   *
   * @return the step the row was placed at (higher than its own when the rank was shifted)
   */
  long add(RankRow row) {
    Progress progress = live.get(row.rank());
    long shift = progress != null ? progress.shift : shifts.getOrDefault(row.rank(), 0L);
    long step = row.step() + shift;
    if (step <= lastCommitted) {
      shift += lastCommitted + 1 - step;
      step = lastCommitted + 1;
      if (progress != null) {
        progress.shift = shift;
      } else {
        shifts.put(row.rank(), shift);
      }
    }
    RankRow placed = step == row.step() ? row : row.atStep(step);
    Slot slot = window.get(step);
    if (slot == null) {
      slot = new Slot(step);
      window.put(step, slot);
      bytes += SLOT_OVERHEAD;
    }
    slot.add(placed);
    bytes += placed.bytes();
    rows++;
    if (progress != null && step > progress.completeThrough) {
      progress.completeThrough = step;
    }
    return step;
  }

  /**
   * Tells the merger every step of {@code rank} below {@code nextStep} (its own numbering) is
   * complete, though it may have given no row there (it jumped ahead, or has a row pending).
   */
  void completeBelow(int rank, long nextStep) {
    Progress progress = live.get(rank);
    if (progress != null) {
      progress.completeThrough = Math.max(progress.completeThrough, nextStep - 1 + progress.shift);
    }
  }

  /** {@code rank} finished or left: no step waits for it any more. */
  void leave(int rank) {
    Progress progress = live.remove(rank);
    if (progress != null && progress.shift != 0) {
      shifts.put(rank, progress.shift);
    }
  }

  /** The rank's shift so far (0 unless it fell behind). */
  long shift(int rank) {
    Progress progress = live.get(rank);
    return progress != null ? progress.shift : shifts.getOrDefault(rank, 0L);
  }

  /** The steps every live rank is past, in order; they leave the window. */
  List<Slot> takeReady() {
    long through = Long.MAX_VALUE;
    for (Progress progress : live.values()) {
      through = Math.min(through, progress.completeThrough);
    }
    return takeThrough(through);
  }

  /** Every step up to {@code step}, whoever they wait for (a straggler, the end of the run). */
  List<Slot> takeThrough(long step) {
    List<Slot> taken = new ArrayList<>();
    Iterator<Map.Entry<Long, Slot>> it = window.entrySet().iterator();
    while (it.hasNext()) {
      Map.Entry<Long, Slot> entry = it.next();
      if (entry.getKey() > step) {
        break;
      }
      Slot slot = entry.getValue();
      bytes -= SLOT_OVERHEAD;
      for (RankRow row : slot.rows) {
        bytes -= row.bytes();
        rows--;
      }
      taken.add(slot);
      it.remove();
      lastCommitted = slot.step;
    }
    if (step != Long.MAX_VALUE && step > lastCommitted) {
      // steps no rank gave a row for are gone too: a late row must not land below them
      lastCommitted = step;
    }
    return taken;
  }

  /** Everything in the window. */
  List<Slot> takeAll() {
    return takeThrough(Long.MAX_VALUE);
  }

  /** The lowest step waiting, or -1 when the window is empty. */
  long oldestStep() {
    return window.isEmpty() ? -1 : window.firstKey();
  }

  /** Live ranks holding back the oldest waiting step. */
  List<Integer> holdingBack() {
    List<Integer> ranks = new ArrayList<>();
    if (window.isEmpty()) {
      return ranks;
    }
    long oldest = window.firstKey();
    live.forEach(
        (rank, progress) -> {
          if (progress.completeThrough < oldest) {
            ranks.add(rank);
          }
        });
    return ranks;
  }

  long bytes() {
    return bytes;
  }

  long rows() {
    return rows;
  }

  long lastCommitted() {
    return lastCommitted;
  }
}
