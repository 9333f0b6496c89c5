package io.armguard.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** {@code armguard data}: groups {@code fetch} and {@code prepare}. */
@Command(
    name = "data",
    mixinStandardHelpOptions = true,
    description = "Fetch the public training sources and prepare the corpora, splits and gold set.",
    subcommands = {DataFetchCommand.class, DataPrepareCommand.class, DataRepliesCommand.class})
public final class DataCommand implements Runnable {
  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Override
  public void run() {
    spec.commandLine().usage(System.out);
  }
}
