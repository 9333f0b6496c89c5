package io.armguard.cli;

import java.nio.file.Path;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code --out DIR} and {@code --force} of the train commands whose model directory has a default
 * under {@value OutputGuard#RUN_DIR}/ ({@code train lm}, {@code train rad}, {@code train judge}). A
 * picocli mixin whose default is each command's own: the command creates it with it ({@code @Mixin
 * ModelOutputOption output = new ModelOutputOption("runs/lm")}), and picocli keeps that instance,
 * showing its value as the default.
 */
final class ModelOutputOption {
  @Option(
      names = "--out",
      description = "model directory (default: ${DEFAULT-VALUE}; an existing model needs --force)")
  Path out;

  @Mixin OutputGuard.Force force;

  /** For picocli's reflection only; commands use the constructor with their default. */
  ModelOutputOption() {}

  /** This option with a command's default directory. */
  ModelOutputOption(String defaultDirectory) {
    this.out = Path.of(defaultDirectory);
  }

  /**
   * The model directory, checked before any work starts: refused when it holds a model and {@code
   * --force} is not set ({@link OutputGuard#modelDirectory}).
   */
  Path checked() {
    return OutputGuard.modelDirectory(out, force.force);
  }
}
