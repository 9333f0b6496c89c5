package io.armguard.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** {@code armguard dlq}: groups {@code replay}. */
@Command(
    name = "dlq",
    mixinStandardHelpOptions = true,
    description = "Work with the dead-letter topic.",
    subcommands = {DlqReplayCommand.class})
public final class DlqCommand implements Runnable {
  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Override
  public void run() {
    spec.commandLine().usage(System.out);
  }
}
