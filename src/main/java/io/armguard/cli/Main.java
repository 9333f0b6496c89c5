package io.armguard.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** Entry point of the {@code armguard} command line: only wires subcommands. */
@Command(
    name = "armguard",
    mixinStandardHelpOptions = true,
    version = "armguard 0.1.0",
    description =
        "Kafka Streams service that moderates and rewrites language-model text with ARM-guided"
            + " (low-rank autoregressive reward model) decoding.",
    subcommands = {
      CommandLine.HelpCommand.class,
      GenerateCommand.class,
      ModerateCommand.class,
      ModelCommand.class,
      RewardCommand.class,
      BenchCommand.class,
      DataCommand.class,
      TrainCommand.class,
      EvalCommand.class,
      AnalyzeCommand.class,
      DemoCommand.class,
      RunCommand.class,
      DlqCommand.class,
      ProduceCommand.class,
      TailCommand.class,
      SchemasCommand.class,
      TopologyCommand.class
    })
public final class Main implements Runnable {

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  public static void main(String[] args) {
    System.exit(commandLine().execute(args));
  }

  /** The configured command line (tests call this to run commands in-process). */
  public static CommandLine commandLine() {
    return new CommandLine(new Main())
        .setCaseInsensitiveEnumValuesAllowed(true)
        .setExecutionExceptionHandler(Main::reportUserError);
  }

  /**
   * Bad input (a missing file, an invalid setting) is reported as one line on stderr with exit code
   * 1; anything else keeps its stack trace.
   */
  private static int reportUserError(
      Exception e, CommandLine cmd, CommandLine.ParseResult parseResult) throws Exception {
    if (e instanceof java.nio.file.NoSuchFileException missing) {
      cmd.getErr().println(cmd.getCommandName() + ": no such file: " + missing.getFile());
      return 1;
    }
    if (e instanceof java.io.IOException || e instanceof IllegalArgumentException) {
      cmd.getErr().println(cmd.getCommandName() + ": " + e.getMessage());
      return 1;
    }
    throw e;
  }

  @Override
  public void run() {
    spec.commandLine().usage(System.out);
  }
}
