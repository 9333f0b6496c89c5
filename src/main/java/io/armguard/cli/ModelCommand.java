package io.armguard.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** {@code armguard model}: groups the model-directory subcommands. */
@Command(
    name = "model",
    mixinStandardHelpOptions = true,
    description =
        "Create, import, inspect and externalize Hugging Face-layout model directories (GPT-2,"
            + " BERT).",
    subcommands = {
      ModelInitCommand.class,
      ModelImportCommand.class,
      ModelInfoCommand.class,
      ModelExternalizeCommand.class
    })
public final class ModelCommand implements Runnable {

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Override
  public void run() {
    spec.commandLine().usage(System.out);
  }
}
