package dev.runbus.server.store;

/** FileStream ingestion: one post applied in one transaction, idempotent by offsets. */
public interface FileStreams {

  /**
   * Stores a post in one transaction and returns only after the commit. Rules per file:
   *
   * <ul>
   *   <li>history and events append: lines already stored (below the stored count) are skipped,
   *       so a re-sent batch is stored once; a chunk starting past the count throws {@link
   *       OffsetGapException} and nothing of the post is stored;
   *   <li>wandb-summary.json replaces the summary with the chunk's last line;
   *   <li>output.log writes lines at their offsets, overwriting (W&B's progress-bar rule); a chunk
   *       past the count is a gap as above;
   *   <li>{@code complete} sets the state (finished for exit code 0, failed otherwise, preempted
   *       for a non-zero exit of a run marked preempted, as W&B) and exit code; {@code
   *       preempting} sets preempted; every post refreshes the heartbeat, and a
   *       post to a run marked crashed for its silence makes it running again.
   * </ul>
   *
   * @throws NotFoundException when the run does not exist or is not the viewer's
   */
  Applied apply(User viewer, RunKey run, FileStreamPost post);

  /**
   * What the answer tells the client (whether the run was asked to stop), and what the post did
   * to the run, for live views: its line counts and state after the post, its state before, and
   * whether anything but the heartbeat changed.
   */
  record Applied(
      long runId,
      boolean stopRequested,
      long historyLineCount,
      long eventsLineCount,
      long logLineCount,
      String previousState,
      String state,
      boolean changed,
      long updatedAtMillis) {

    public boolean stateChanged() {
      return !state.equals(previousState);
    }
  }
}
