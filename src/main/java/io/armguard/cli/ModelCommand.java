package io.armguard.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** {@code armguard model}: groups the model-directory subcommands. */
@Command(
    name = "model",
    mixinStandardHelpOptions = true,
    description = "Create and inspect GPT-2-layout model directories.",
    subcommands = {ModelInitCommand.class, ModelInfoCommand.class})
public final class ModelCommand implements Runnable {

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Override
  public void run() {
    spec.commandLine().usage(System.out);
  }
}
