package io.armguard.cli;

import ai.djl.ndarray.NDManager;
import com.google.gson.JsonObject;
import io.armguard.train.RunSettings;
import java.io.IOException;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * The options every {@code train} command shares: batch, steps, the AdamW schedule, seed,
 * checkpointing and {@code --restart}. A picocli mixin whose defaults are each command's own: the
 * command creates it with them ({@code @Mixin TrainingRunOptions run = new
 * TrainingRunOptions(...)}), and picocli keeps that instance, showing its values as the defaults.
 */
public final class TrainingRunOptions {
  @Option(
      names = "--batch",
      description = "examples (windows, texts or replies) per step (default: ${DEFAULT-VALUE})")
  int batch;

  @Option(names = "--steps", description = "optimizer steps (default: ${DEFAULT-VALUE})")
  int steps;

  @Option(names = "--lr", description = "peak learning rate (default: ${DEFAULT-VALUE})")
  float lr;

  @Option(names = "--warmup", description = "linear warm-up steps (default: ${DEFAULT-VALUE})")
  int warmup;

  @Option(names = "--clip", description = "global gradient-norm clip (default: ${DEFAULT-VALUE})")
  double clip;

  @Option(
      names = "--weight-decay",
      description = "AdamW weight decay on matrices (default: ${DEFAULT-VALUE})")
  float weightDecay = 0.01f;

  @Option(
      names = "--seed",
      description = "initialisation and batch-order seed (default: ${DEFAULT-VALUE})")
  long seed = 1234;

  @Option(
      names = "--checkpoint-every",
      description = "steps between checkpoints (default: ${DEFAULT-VALUE})")
  int checkpointEvery;

  @Option(names = "--restart", description = "discard an existing checkpoint instead of resuming")
  boolean restart;

  /** The command this block is mixed into: its parse result is the card's command line. */
  @Spec(Spec.Target.MIXEE)
  CommandSpec command;

  /** For picocli's reflection only; commands use the constructor with their defaults. */
  TrainingRunOptions() {}

  /** These options with a command's defaults. */
  TrainingRunOptions(int batch, int steps, float lr, int warmup, double clip, int checkpointEvery) {
    this.batch = batch;
    this.steps = steps;
    this.lr = lr;
    this.warmup = warmup;
    this.clip = clip;
    this.checkpointEvery = checkpointEvery;
  }

  /**
   * Sets these options on a trainer's builder, with the command line that reproduces the run as
   * typed (from picocli's parse result).
   */
  <B extends RunSettings.Builder<B>> B applyTo(B builder) {
    return builder
        .batch(batch)
        .steps(steps)
        .learningRate(lr)
        .warmupSteps(warmup)
        .clipNorm(clip)
        .weightDecay(weightDecay)
        .seed(seed)
        .checkpointEvery(checkpointEvery)
        .restart(restart)
        .progressBar(TerminalProgress.onTerminal())
        .command(ReproducibleCommand.of(command));
  }

  /**
   * Runs a trainer on the runtime's device and prints its model card's facts, without the history,
   * as one JSON line on stdout.
   */
  static int trainAndPrint(RuntimeOptions runtime, Trainer trainer) throws IOException {
    try (NDManager root = NDManager.newBaseManager(runtime.apply())) {
      JsonObject facts = trainer.train(root);
      facts.remove("history");
      System.out.println(facts);
    }
    return 0;
  }

  /** One of the {@code io.armguard.train} trainers' {@code train} methods. */
  @FunctionalInterface
  interface Trainer {
    JsonObject train(NDManager root) throws IOException;
  }
}
