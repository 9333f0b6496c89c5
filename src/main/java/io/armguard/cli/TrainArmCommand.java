package io.armguard.cli;

import ai.djl.ndarray.NDManager;
import io.armguard.reward.RewardKind;
import io.armguard.train.RewardTrainer;
import io.armguard.train.RewardTrainingOptions.Regime;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code armguard train arm}: the low-rank ARM reward model, on responses or distilled from RAD.
 */
@Command(
    name = "arm",
    mixinStandardHelpOptions = true,
    description = {
      "Train the ARM toxicity reward model (baseline + low-rank token delta over the frozen token"
          + " embedding).",
      "--regime responses: observed-token scores regressed onto the text's label (cumulative"
          + " weighted MSE). --regime distill: regressed onto a trained RAD teacher's scores (plain"
          + " MSE). Both add the baseline-prior regulariser on one random token per position.",
      "Resumes from <out>/checkpoint when one exists; prints the facts as one JSON line."
    })
public final class TrainArmCommand implements Callable<Integer> {
  @Option(names = "--regime", required = true, description = "responses or distill")
  Regime regime;

  @Option(
      names = "--teacher",
      defaultValue = "models/rad",
      description = "RAD teacher for --regime distill (default: ${DEFAULT-VALUE})")
  Path teacher;

  @Option(
      names = "--regulariser",
      defaultValue = "1.0",
      description =
          "weight of the baseline-prior regulariser (paper: 1.0) (default: ${DEFAULT-VALUE})")
  float regulariser;

  @Option(
      names = "--out",
      description =
          "model directory (default: runs/arm-responses or runs/arm-distilled; an existing"
              + " model needs --force)")
  Path out;

  @Mixin OutputGuard.Force force;

  @Mixin RewardTrainingArgs args;

  @Mixin RuntimeOptions runtime;

  @Spec picocli.CommandLine.Model.CommandSpec spec;

  @Override
  public Integer call() throws Exception {
    if (regime == Regime.DISTILL && !java.nio.file.Files.isDirectory(teacher)) {
      throw new ParameterException(
          spec.commandLine(), "--teacher " + teacher + " is not a directory: train rad first");
    }
    Path dir =
        out != null
            ? out
            : OutputGuard.runPath(regime == Regime.DISTILL ? "arm-distilled" : "arm-responses", "");
    OutputGuard.modelDirectory(dir, force.force);
    var options =
        args.options(
            RewardKind.ARM,
            regime,
            dir,
            regime == Regime.DISTILL ? teacher : null,
            regulariser,
            runtime.threads());
    try (NDManager root = NDManager.newBaseManager(runtime.apply())) {
      var facts =
          new RewardTrainer(options, l -> System.err.println("train arm: " + l)).train(root);
      facts.remove("history");
      System.out.println(facts);
    }
    return 0;
  }
}
