package dev.runbus.cluster;

import dev.runbus.Run;
import dev.runbus.RunResult;
import dev.runbus.Runbus;
import dev.runbus.RunbusException;
import java.util.HashMap;
import java.util.Map;

/**
 * One rank of a distributed job, as a launcher script starts it: everything about attaching comes
 * from the environment ({@code RUNBUS_ATTACH=cluster}, {@code RANK}, {@code WORLD_SIZE}, {@code
 * WANDB_RUN_ID}, {@code RUNBUS_SERVICE_TOKEN}, {@code RUNBUS_CLUSTER_CONFIG}). Logs {@code rows}
 * rows of a few floats whose values say which rank and step they are (loss = rank * 1e6 + i), so a
 * reader can tell every row apart; every {@code every} rows prints "logged N", asks the run a
 * question (answered only after everything before it) and prints "acknowledged N", then pauses
 * {@code pauseMillis}; at the end "finished …" or "failed …" (also when the service refuses the
 * attach).
 *
 * <p>Arguments: rows [every [pauseMillis [unfinished]]]; "unfinished" returns from main without
 * finishing the run, leaving that to runbus.
 */
public final class RankWorker {

  public static void main(String[] args) throws Exception {
    long rows = Long.parseLong(args[0]);
    long every = args.length > 1 ? Long.parseLong(args[1]) : Long.MAX_VALUE;
    long pause = args.length > 2 ? Long.parseLong(args[2]) : 0;
    boolean unfinished = args.length > 3 && args[3].equals("unfinished");
    int rank = Integer.parseInt(System.getenv().getOrDefault("RANK", "0"));
    Map<String, Object> row = new HashMap<>();
    try {
      Run run = Runbus.init(); // a refused attach (a wrong token…) fails here: "failed <why>"
      for (long i = 0; i < rows; i++) {
        row.put("loss", rank * 1e6 + i);
        row.put("acc", i / (double) rows);
        row.put("lr", 0.001);
        run.log(row);
        if ((i + 1) % every == 0) {
          System.out.println("logged " + (i + 1));
          run.summary().asMap(); // answered once the service holds every row before it
          System.out.println("acknowledged " + (i + 1));
          System.out.flush();
          if (pause > 0) {
            Thread.sleep(pause);
          }
        }
      }
      if (unfinished) {
        System.out.println("returning");
        return;
      }
      RunResult result = run.finish(0);
      System.out.println("finished " + result.historyRows() + " rows in " + result.logFile());
    } catch (RunbusException e) {
      System.out.println("failed " + e.getMessage());
    }
    System.out.flush();
  }
}
