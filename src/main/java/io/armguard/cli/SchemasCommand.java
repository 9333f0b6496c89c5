package io.armguard.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** {@code armguard schemas}: groups {@code register}. */
@Command(
    name = "schemas",
    mixinStandardHelpOptions = true,
    description = "Work with armguard's schemas in the schema registry.",
    subcommands = {SchemasRegisterCommand.class})
public final class SchemasCommand implements Runnable {
  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Override
  public void run() {
    spec.commandLine().usage(System.out);
  }
}
