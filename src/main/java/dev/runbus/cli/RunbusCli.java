package dev.runbus.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** {@code java -jar runbus.jar <command>}: the demo, the log inspector and the benchmark. */
@Command(
    name = "runbus",
    mixinStandardHelpOptions = true,
    versionProvider = RunbusCli.VersionProvider.class,
    description = "Experiment tracking for the JVM, wire-compatible with Weights & Biases.",
    subcommands = {
      DemoCommand.class,
      InspectCommand.class,
      BenchCommand.class,
      CommandLine.HelpCommand.class
    })
public final class RunbusCli implements Runnable {

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  public static void main(String[] args) {
    System.exit(commandLine().execute(args));
  }

  static CommandLine commandLine() {
    return new CommandLine(new RunbusCli());
  }

  @Override
  public void run() {
    spec.commandLine().usage(System.out);
  }

  static final class VersionProvider implements CommandLine.IVersionProvider {
    @Override
    public String[] getVersion() {
      return new String[] {"runbus " + dev.runbus.client.Version.VERSION};
    }
  }
}
