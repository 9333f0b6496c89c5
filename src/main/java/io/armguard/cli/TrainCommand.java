package io.armguard.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** {@code armguard train}: groups the trainers. */
@Command(
    name = "train",
    mixinStandardHelpOptions = true,
    description = "Train armguard's models (language model, reward models, judge).",
    subcommands = {
      TrainLmCommand.class,
      TrainRadCommand.class,
      TrainArmCommand.class,
      TrainRepliesCommand.class,
      TrainJudgeCommand.class
    })
public final class TrainCommand implements Runnable {
  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Override
  public void run() {
    spec.commandLine().usage(System.out);
  }
}
