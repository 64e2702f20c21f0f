package dev.runbus.handler;

import dev.runbus.proto.Control;
import dev.runbus.proto.FinalRecord;
import dev.runbus.proto.FooterRecord;
import dev.runbus.proto.Record;

/**
 * §3.2/§3.3: the end of the run, in the order the log must hold it: the pending row, the exit
 * (runtime, always_send), the full summary with {@code _wandb.runtime}, final, footer. After this
 * the run accepts no more data records.
 */
final class ExitHandler implements RecordHandler {
  private final RunState state;
  private final HistoryRowPipeline rows;

  ExitHandler(RunState state, HistoryRowPipeline rows) {
    this.state = state;
    this.rows = rows;
  }

  @Override
  public void handle(Record record, RecordSink out) {
    state.stepper.flushPending(rows, out);
    int runtime = state.runtimeSeconds();
    state.emit(
        out,
        record.toBuilder()
            .setExit(record.getExit().toBuilder().setRuntime(runtime))
            .setControl(record.getControl().toBuilder().setAlwaysSend(true))
            .build());
    // §2.4: the full summary is persisted once, carrying the runtime
    state.emit(
        out, Record.newBuilder().setSummary(state.summary.fullSummaryWithRuntime(runtime)).build());
    // §4.5: final must follow exit, or legacy `wandb sync` never sends the exit
    state.emit(
        out,
        Record.newBuilder()
            .setFinal(FinalRecord.getDefaultInstance())
            .setControl(Control.newBuilder().setAlwaysSend(true))
            .build());
    state.emit(out, Record.newBuilder().setFooter(FooterRecord.getDefaultInstance()).build());
    state.markExited();
  }
}
