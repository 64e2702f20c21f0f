package dev.runbus.sender;

import dev.runbus.proto.FinishResponse;
import dev.runbus.proto.Record;
import dev.runbus.proto.RunExitResult;

/**
 * What the Sender knows of a run: the records it was handed and the exit. Offline it is handed only
 * the records marked {@code always_send}, and its part of the finish is to confirm the exit; online
 * (a later stage) it also owns the server side of the drain.
 */
public final class SenderState {

  private Record exit;

  public void accept(Record record) {
    if (record.hasExit()) {
      exit = record;
    }
  }

  /** The Sender's answer to the finish drain, once everything before it was handled. */
  public FinishResponse finish() {
    return FinishResponse.newBuilder()
        .setExitResult(RunExitResult.getDefaultInstance())
        .setRuntimeSeconds(exit == null ? 0 : exit.getExit().getRuntime())
        .build();
  }
}
