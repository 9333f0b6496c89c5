package io.armguard.cli;

import io.armguard.reward.RewardKind;
import io.armguard.train.RewardTrainer;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

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
  @Mixin ModelOutputOption output = new ModelOutputOption("runs/rad");

  @Mixin RewardTrainingArgs args;

  @Mixin RuntimeOptions runtime;

  @Override
  public Integer call() throws Exception {
    Path out = output.checked();
    // RAD has no regulariser: 0 in its settings, as its checkpoints have always recorded
    var options = args.options(RewardKind.RAD, out).regulariserWeight(0f).build();
    return TrainingRunOptions.trainAndPrint(
        runtime, new RewardTrainer(options, l -> System.err.println("train rad: " + l))::train);
  }
}
