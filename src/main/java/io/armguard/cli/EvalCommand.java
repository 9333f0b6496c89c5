package io.armguard.cli;

import picocli.CommandLine.Command;

/** {@code armguard eval}: detoxification evaluation and reward-model accuracy. */
@Command(
    name = "eval",
    mixinStandardHelpOptions = true,
    description =
        "Evaluate detoxification the way the RAD/ARM papers do, and the reward models on the gold set.",
    subcommands = {
      EvalPromptsCommand.class,
      EvalDetoxCommand.class,
      EvalRewardCommand.class,
      EvalRepliesCommand.class,
      EvalModerationCommand.class,
      EvalJudgeCommand.class
    })
public final class EvalCommand {}
