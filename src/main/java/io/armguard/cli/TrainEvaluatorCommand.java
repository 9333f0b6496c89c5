package io.armguard.cli;

import io.armguard.eval.EvaluatorTrainer;
import io.armguard.eval.SentenceEncoder;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code armguard train evaluator}: MiniLM embeddings + logistic regression. */
@Command(
    name = "evaluator",
    mixinStandardHelpOptions = true,
    description = {
      "Train the independent toxicity evaluator (all-MiniLM-L6-v2 ONNX embeddings + logistic"
          + " regression) on the evaluator split, which is disjoint from the reward models' data.",
      "Prints its metrics (validation and gold set) as one JSON line."
    })
public final class TrainEvaluatorCommand implements Callable<Integer> {
  @Mixin PreparedDataOption data;

  @Option(
      names = "--out",
      defaultValue = "runs/evaluator",
      description = "model directory (default: ${DEFAULT-VALUE}; an existing model needs --force)")
  Path out;

  @Mixin OutputGuard.Force force;

  @Option(
      names = "--l2",
      defaultValue = "0.001",
      description = "L2 penalty (default: ${DEFAULT-VALUE})")
  double l2;

  @Spec CommandSpec spec;

  @Override
  public Integer call() throws Exception {
    OutputGuard.modelDirectory(out, force.force);
    String command = ReproducibleCommand.of(spec);
    try (ProgressBar bar =
        new ProgressBarBuilder()
            .setTaskName("embed")
            .setInitialMax(EvaluatorTrainer.workItems(data.dir()))
            .setStyle(ProgressBarStyle.ASCII)
            .setUnit(" texts", 1)
            .showSpeed()
            .build()) {
      var metrics =
          new EvaluatorTrainer(new SentenceEncoder())
              .train(data.dir(), out, l2, command, bar::stepBy);
      System.out.println(metrics);
    }
    return 0;
  }
}
