package dev.runbus.cli;

import dev.runbus.RunbusException;
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
    return new CommandLine(new RunbusCli()).setExecutionExceptionHandler(RunbusCli::reportFailure);
  }

  /**
   * A run that cannot start (an unwritable directory, a bad WANDB_ variable) is for the user to
   * fix: one line that names the problem, exit 1, no stack trace. Anything else is a bug in runbus
   * and keeps its trace.
   */
  private static int reportFailure(
      Exception e, CommandLine command, CommandLine.ParseResult parsed) throws Exception {
    String message = e.getMessage();
    if (!(e instanceof RunbusException || e instanceof IllegalArgumentException)
        || message == null) {
      throw e;
    }
    command
        .getErr()
        .println(message.startsWith("runbus: ") ? message : command.getCommandName() + ": " + message);
    return 1;
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
