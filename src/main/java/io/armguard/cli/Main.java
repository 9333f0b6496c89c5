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
    subcommands = {CommandLine.HelpCommand.class, DataCommand.class, TrainCommand.class})
public final class Main implements Runnable {

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  public static void main(String[] args) {
    System.exit(commandLine().execute(args));
  }

  /** The configured command line (tests call this to run commands in-process). */
  public static CommandLine commandLine() {
    return new CommandLine(new Main()).setCaseInsensitiveEnumValuesAllowed(true);
  }

  @Override
  public void run() {
    spec.commandLine().usage(System.out);
  }
}
