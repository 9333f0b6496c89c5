package io.armguard.cli;

import io.armguard.reward.RewardKind;
import io.armguard.train.RewardTrainer;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code armguard train rad}: the RAD teacher. */
@Command(
    name = "rad",
    mixinStandardHelpOptions = true,
    description = {
      "Train the RAD toxicity reward model on the reward split with the position-weighted"
          + " cumulative MSE (every prefix regressed onto the text's label, later prefixes weigh"
          + " more). Starts from the LM's embeddings and first blocks (--init-from).",
      "Resumes from <out>/checkpoint when one exists; writes an HF-layout reward model directory"
          + " (F16) with armguard.json and a card; prints the facts as one JSON line."
    })
public final class TrainRadCommand implements Callable<Integer> {
  @Option(
      names = "--out",
      defaultValue = "runs/rad",
      description = "model directory (default: ${DEFAULT-VALUE}; an existing model needs --force)")
  Path out;

  @Mixin OutputGuard.Force force;

  @Mixin RewardTrainingArgs args;

  @Mixin RuntimeOptions runtime;

  @Override
  public Integer call() throws Exception {
    OutputGuard.modelDirectory(out, force.force);
    // RAD has no regulariser: 0 in its settings, as its checkpoints have always recorded
    var options = args.options(RewardKind.RAD, out).regulariserWeight(0f).build();
    return TrainingRunOptions.trainAndPrint(
        runtime, new RewardTrainer(options, l -> System.err.println("train rad: " + l))::train);
  }
}
