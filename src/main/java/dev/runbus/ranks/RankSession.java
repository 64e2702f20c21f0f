package dev.runbus.ranks;

import dev.runbus.handler.RankRowStepper;
import dev.runbus.proto.RankIdentity;
import dev.runbus.proto.RankState;

/** One rank of a hosted run: who it is, its own steps, how its keys are named, how it ended. */
final class RankSession {

  final RankIdentity identity;
  final KeyLabels labels;
  final RankRowStepper stepper;
  RankState state = RankState.RANK_ATTACHED;
  int exitCode;
  String note = "";
  /** log() calls and records taken from this rank, as a Handler counts them for its client. */
  long recordsAccepted;
  long historyRows;

  RankSession(RankIdentity identity, boolean labelKeys, long startingStep) {
    this.identity = identity;
    this.labels = new KeyLabels(identity.getRank(), labelKeys);
    this.stepper = new RankRowStepper(startingStep);
  }

  int rank() {
    return identity.getRank();
  }

  boolean attached() {
    return state == RankState.RANK_ATTACHED;
  }

  /** "rank 2 (host-a, pid 4242)" */
  String describe() {
    StringBuilder text = new StringBuilder("rank ").append(rank());
    if (!identity.getHost().isEmpty() || identity.getPid() != 0) {
      text.append(" (").append(identity.getHost().isEmpty() ? "?" : identity.getHost());
      if (identity.getPid() != 0) {
        text.append(", pid ").append(identity.getPid());
      }
      text.append(')');
    }
    return text.toString();
  }
}
