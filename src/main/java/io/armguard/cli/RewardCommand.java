package io.armguard.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** {@code armguard reward}: groups the reward-model-directory subcommands. */
@Command(
    name = "reward",
    mixinStandardHelpOptions = true,
    description = "Create reward model directories (ARM or RAD heads on a GPT-2 backbone).",
    subcommands = {RewardInitCommand.class})
public final class RewardCommand implements Runnable {

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Override
  public void run() {
    spec.commandLine().usage(System.out);
  }
}
