package io.armguard.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** {@code armguard bench}: groups the benchmarks (each prints JSON lines). */
@Command(
    name = "bench",
    mixinStandardHelpOptions = true,
    description = "Benchmarks; each prints one JSON object per measured configuration.",
    subcommands = {
      BenchDecodeCommand.class,
      BenchPipelineCommand.class,
      BenchBackboneCommand.class,
      BenchStreamCommand.class
    })
public final class BenchCommand implements Runnable {

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Override
  public void run() {
    spec.commandLine().usage(System.out);
  }
}
