package dev.runbus.cli;

import dev.runbus.RunbusException;
import java.io.BufferedOutputStream;
import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.OutputStreamWriter;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * {@code java -jar runbus.jar <command>}: the demo, the log inspector, the benchmark, the tracking
 * server, the service that hosts runs for remote clients, and sync.
 */
@Command(
    name = "runbus",
    mixinStandardHelpOptions = true,
    versionProvider = RunbusCli.VersionProvider.class,
    description = "Experiment tracking for the JVM, wire-compatible with Weights & Biases.",
    subcommands = {
      DemoCommand.class,
      InspectCommand.class,
      BenchCommand.class,
      ServerCommand.class,
      ServiceCommand.class,
      SyncCommand.class,
      CommandLine.HelpCommand.class
    })
public final class RunbusCli implements Runnable {

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  public static void main(String[] args) {
    System.setOut(utf8(FileDescriptor.out));
    System.setErr(utf8(FileDescriptor.err));
    int code = commandLine().execute(args);
    System.out.flush();
    System.err.flush();
    System.exit(code);
  }

  /**
   * A console stream that writes UTF-8 whatever the locale says. Java encodes System.out and
   * System.err in the locale's charset (Java 18 and later too: its UTF-8 default leaves
   * stdout.encoding to the locale), and a container or CI job without LANG has the POSIX locale, so
   * every sparkline glyph and non-ASCII key became '?'. That locale means "not configured" rather
   * than "this terminal is ASCII": the terminal or log viewer on the other end is nearly always
   * UTF-8, and Python, hence W&B's own client, writes UTF-8 there too (PEP 538 and 540). A legacy
   * non-UTF-8 terminal shows those few characters garbled; guessing the terminal instead would lose
   * them for everyone else.
   */
  private static PrintStream utf8(FileDescriptor descriptor) {
    return new PrintStream(
        new BufferedOutputStream(new FileOutputStream(descriptor), 8192),
        true,
        StandardCharsets.UTF_8);
  }

  static CommandLine commandLine() {
    CommandLine runbus = new CommandLine(new RunbusCli());
    // every command's -V names the version, not only the top one's (picocli's version provider is
    // per command)
    shareVersion(runbus, new VersionProvider());
    // Vert.x's launcher parses the service's options (-conf, -cluster, …), not picocli
    runbus.getSubcommands().get("service").setUnmatchedOptionsArePositionalParams(true);
    // picocli would encode its own output (help, usage errors) in the default charset: UTF-8 too
    return runbus
        .setOut(utf8(System.out))
        .setErr(utf8(System.err))
        .setExecutionExceptionHandler(RunbusCli::reportFailure)
        .setParameterExceptionHandler(RunbusCli::reportUsageError);
  }

  private static PrintWriter utf8(PrintStream stream) {
    return new PrintWriter(new OutputStreamWriter(stream, StandardCharsets.UTF_8), true);
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
    command.getErr().println(CliMessages.line(message));
    return 1;
  }

  /**
   * A command line that does not parse: what is wrong on a line with the one prefix, then, as
   * picocli does by default, the likely command for a misspelt one, else the usage; exit 2.
   */
  private static int reportUsageError(CommandLine.ParameterException e, String[] args) {
    CommandLine command = e.getCommandLine();
    PrintWriter err = command.getErr();
    err.println(CliMessages.line(e.getMessage()));
    if (!CommandLine.UnmatchedArgumentException.printSuggestions(e, err)) {
      command.usage(err, command.getColorScheme());
    }
    err.flush();
    return command.getCommandSpec().exitCodeOnInvalidInput();
  }

  @Override
  public void run() {
    spec.commandLine().usage(System.out);
  }

  private static void shareVersion(CommandLine command, CommandLine.IVersionProvider version) {
    command.getCommandSpec().versionProvider(version);
    command.getSubcommands().values().forEach(sub -> shareVersion(sub, version));
  }

  static final class VersionProvider implements CommandLine.IVersionProvider {
    @Override
    public String[] getVersion() {
      return new String[] {"runbus " + dev.runbus.client.Version.VERSION};
    }
  }
}
