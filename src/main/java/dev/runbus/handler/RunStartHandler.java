package dev.runbus.handler;

import com.google.protobuf.Timestamp;
import dev.runbus.proto.Request;
import dev.runbus.proto.Response;
import dev.runbus.proto.RunRecord;
import dev.runbus.proto.RunStartResponse;

/**
 * §2.1 run_start: remembers the run's start time and, for a resumed run, its starting step (§2.2).
 * Answered here, not forwarded.
 */
final class RunStartHandler implements RequestHandler {
  private final RunState state;

  RunStartHandler(RunState state) {
    this.state = state;
  }

  @Override
  public Response answer(Request request, RecordSink out) {
    RunRecord run = request.getRunStart().getRun();
    if (run.hasStartTime()) {
      Timestamp start = run.getStartTime();
      state.setRunStart(start.getSeconds() + start.getNanos() / 1e9);
    }
    // a resumed run continues after the server's last step, unless rows already went out
    if (run.getResumed() && run.getStartingStep() > 0 && state.nothingLogged()) {
      state.stepper.startAt(run.getStartingStep());
    }
    return Response.newBuilder().setRunStartResponse(RunStartResponse.getDefaultInstance()).build();
  }
}
