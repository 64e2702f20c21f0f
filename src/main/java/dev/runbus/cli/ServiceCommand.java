package dev.runbus.cli;

import dev.runbus.service.ServiceLauncher;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code runbus service [launcher options]}: hosts runs for remote clients (cluster ranks, gRPC,
 * the TCP bridge) until SIGTERM or Ctrl-C, which finish them and exit. Everything after {@code
 * service} goes to Vert.x's launcher unchanged.
 */
@Command(
    name = "service",
    description = {
      "Host runs for remote clients: ranks of a distributed job over the cluster (-cluster),"
          + " gRPC and the TCP event-bus bridge. Prints one ready line; SIGTERM finishes the"
          + " hosted runs and exits.",
      "Settings: defaults < conf/runbus.json < -conf < RUNBUS_SERVICE_* variables.",
      "Vert.x launcher options: -conf FILE|JSON, -cluster, -cluster-host H, -cluster-port P,"
          + " -cluster-public-host H, -cluster-public-port P, -options FILE|JSON."
    })
final class ServiceCommand implements Callable<Integer> {

  @Option(
      names = {"-h", "--help"},
      usageHelp = true,
      description = "Show this help message and exit.")
  boolean help;

  @Option(
      names = {"-V", "--version"},
      versionHelp = true,
      description = "Print version information and exit.")
  boolean version;

  @Parameters(paramLabel = "LAUNCHER-OPTION", description = "Passed to Vert.x's launcher.")
  List<String> launcherArgs = new ArrayList<>();

  @Override
  public Integer call() throws Exception {
    int code = new ServiceLauncher(launcherArgs.toArray(String[]::new)).launch();
    if (code != 0) {
      return code;
    }
    // Vert.x runs the service; the launcher's shutdown hook stops it on a signal
    new CountDownLatch(1).await();
    return 0;
  }
}
