package io.armguard.cli;

import picocli.CommandLine.Command;

/** {@code armguard analyze}: analyses of trained reward models. */
@Command(
    name = "analyze",
    mixinStandardHelpOptions = true,
    description = "Analyses of reward models (the ARM paper's low-rank analysis).",
    subcommands = {AnalyzeRankCommand.class, AnalyzeCandidatesCommand.class})
public final class AnalyzeCommand {}
