package io.armguard.cli;

import ai.djl.ndarray.NDManager;
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
    var options = args.options(RewardKind.RAD, null, out, null, 0f, runtime.threads());
    try (NDManager root = NDManager.newBaseManager(runtime.apply())) {
      var facts =
          new RewardTrainer(options, l -> System.err.println("train rad: " + l)).train(root);
      facts.remove("history");
      System.out.println(facts);
    }
    return 0;
  }
}
