package dev.runbus.cli;

import dev.runbus.bus.Bus;
import dev.runbus.proto.SendProgress;
import dev.runbus.sender.ServerCredentials;
import dev.runbus.sync.RunSync;
import dev.runbus.sync.SyncTargets;
import io.vertx.core.Vertx;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code runbus sync}: uploads offline runs (and, on request, what online runs could not deliver) to
 * a W&B-compatible server, ours or W&B's, from their logs. Exit codes: 0 every run is on the
 * server, 1 some run is not (each says why), 2 bad usage.
 */
@Command(
    name = "sync",
    mixinStandardHelpOptions = true,
    description =
        "Upload runs to a W&B-compatible server (runbus server or W&B) from their .wandb logs."
            + " Idempotent: what the server acknowledged is never sent again.",
    exitCodeListHeading = "Exit codes:%n",
    exitCodeList = {
      "0:every run is on the server",
      "1:some run could not be uploaded completely (each says why)",
      "2:bad usage, or no server and key"
    })
final class SyncCommand implements Callable<Integer> {

  @Parameters(
      paramLabel = "PATH",
      arity = "1..*",
      description = "A run directory, its .wandb log, or a wandb/ directory (every run in it).")
  List<Path> paths;

  @Option(
      names = "--include-online",
      description =
          "Also re-send what online runs (run-… directories) could not deliver before they ended.")
  boolean includeOnline;

  @Option(names = "--base-url", description = "The server (default: WANDB_BASE_URL).")
  String baseUrl;

  @Option(
      names = "--api-key",
      description = "The server's API key (default: WANDB_API_KEY, else ~/.netrc).")
  String apiKey;

  @Option(names = "--entity", description = "Entity to sync to (default: the run's).")
  String entity = "";

  @Option(names = "--project", description = "Project to sync to (default: the run's).")
  String project = "";

  @Option(
      names = "--timeout",
      defaultValue = "3600",
      description = "Seconds one run's upload may take (default: ${DEFAULT-VALUE}).")
  long timeoutSeconds;

  @Override
  public Integer call() throws Exception {
    PrintStream out = System.out;
    PrintStream err = System.err;
    ServerCredentials server;
    try {
      server =
          ServerCredentials.resolve(
                  baseUrl, apiKey, System.getenv(), Path.of(System.getProperty("user.home")))
              .orElse(null);
    } catch (RuntimeException e) {
      err.println(CliMessages.line(e.getMessage()));
      return 2;
    }
    if (server == null) {
      err.println(
          CliMessages.line(
              "sync needs a server and its API key: set WANDB_BASE_URL and WANDB_API_KEY"
                  + " (or --base-url and --api-key)"));
      return 2;
    }
    List<SyncTargets.Target> targets = new ArrayList<>();
    for (Path path : paths) {
      try {
        targets.addAll(SyncTargets.of(path));
      } catch (IllegalArgumentException | IOException e) {
        err.println(CliMessages.line("cannot sync " + path + ": " + e.getMessage()));
        return 2;
      }
    }
    Vertx vertx = Vertx.vertx();
    Bus.registerCodec(vertx);
    int failed = 0;
    try {
      RunSync sync =
          new RunSync(vertx, server, entity, project, Duration.ofSeconds(timeoutSeconds));
      for (SyncTargets.Target target : targets) {
        if (target.online() && !includeOnline) {
          out.println(
              CliMessages.line(
                  "skipping online run "
                      + target.runDir().getFileName()
                      + " (its data went to the server while it ran; --include-online re-sends"
                      + " what did not arrive)"));
          continue;
        }
        if (!syncOne(sync, target, server, out, err)) {
          failed++;
        }
      }
    } finally {
      vertx.close().toCompletionStage().toCompletableFuture().get();
    }
    return failed == 0 ? 0 : 1;
  }

  private boolean syncOne(
      RunSync sync,
      SyncTargets.Target target,
      ServerCredentials server,
      PrintStream out,
      PrintStream err)
      throws InterruptedException {
    SyncBar bar = new SyncBar(err, target.runDir().getFileName().toString());
    RunSync.Outcome outcome;
    try {
      outcome = sync.sync(target, bar::show);
    } catch (IOException | RuntimeException e) {
      bar.done();
      err.println(CliMessages.line("cannot sync " + target.logFile() + ": " + e.getMessage()));
      return false;
    }
    bar.done();
    String name = target.runDir().getFileName().toString();
    if (outcome.alreadySynced()) {
      out.println(CliMessages.line(name + ": already on " + server.baseUrl() + ", nothing sent"));
      return true;
    }
    SendProgress send = outcome.send();
    if (!outcome.complete()) {
      err.println(
          CliMessages.line(
              name
                  + ": not completely uploaded"
                  + (send.getFailure().isEmpty() ? "" : ": " + send.getFailure())
                  + "; run sync again to send the rest"));
      return false;
    }
    String state = outcome.scan().exited() ? "" : " (it never finished: marked crashed)";
    out.println(
        CliMessages.line(
            String.format(
                "%s: synced %,d history lines and %d of %d files to %s%s",
                name,
                send.getHistoryLinesAcknowledged(),
                send.getFilesUploaded(),
                send.getFilesTotal(),
                send.getRunUrl().isEmpty() ? server.baseUrl().toString() : send.getRunUrl(),
                state)));
    if (outcome.scan().tornTail() != null) {
      out.println(
          CliMessages.line(
              "  its log ends in a torn record at offset "
                  + outcome.scan().tornTail().offset()
                  + " (the process was killed mid-write); everything before it was sent"));
    }
    return true;
  }

  /** The progress of one run's upload: a redrawn bar on a terminal, a line every 5 s elsewhere. */
  static final class SyncBar {
    private static final int WIDTH = 30;
    private final PrintStream err;
    private final String name;
    private final boolean terminal = System.console() != null;
    private long lastLine;
    private boolean shown;

    SyncBar(PrintStream err, String name) {
      this.err = err;
      this.name = name;
    }

    void show(SendProgress send) {
      long total = Math.max(1, send.getLogBytesFlushed());
      double done = Math.min(1.0, send.getLogBytesAcknowledged() / (double) total);
      String text =
          String.format(
              "%s [%s%s] %3.0f%% of %.1f MB, %d/%d files",
              name,
              "#".repeat((int) (done * WIDTH)),
              " ".repeat(WIDTH - (int) (done * WIDTH)),
              done * 100,
              send.getLogBytesFlushed() / 1048576.0,
              send.getFilesUploaded(),
              send.getFilesTotal());
      if (terminal) {
        err.print("\r" + CliMessages.PREFIX + text);
        shown = true;
      } else if (System.nanoTime() - lastLine > 5_000_000_000L) {
        lastLine = System.nanoTime();
        err.println(CliMessages.PREFIX + text);
      }
      err.flush();
    }

    void done() {
      if (shown) {
        err.print("\r\033[K");
        err.flush();
      }
    }
  }
}
