package io.armguard.cli;

import io.armguard.eval.BgeSmallEncoder;
import io.armguard.eval.JudgeTrainer;
import io.armguard.eval.JudgeTrainingOptions;
import io.armguard.eval.ToxicityJudge;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code armguard train judge}: bge-small-en-v1.5 embeddings + calibrated logistic heads. */
@Command(
    name = "judge",
    mixinStandardHelpOptions = true,
    description = {
      "Train the independent toxicity judge of eval detox / eval reward: frozen bge-small-en-v1.5"
          + " sentence embeddings (a different model family from the reward models' MiniLM) and"
          + " one logistic regression per label (toxicity, insult, threat, identity_attack,"
          + " obscene, sexual), on the judge's share of the reply set, the part train replies"
          + " leaves out of the reward models' training; refuses to train if that share overlaps"
          + " the split a --reward-models directory records.",
      "Platt-scales each head on the validation batches; measures the held-out batches, the gold"
          + " set and openings of held-out human text. Writes judge.json, the lexicon and a card;"
          + " prints the facts as one JSON line."
    })
public final class TrainJudgeCommand implements Callable<Integer> {
  @Mixin ModelOutputOption output = new ModelOutputOption("runs/judge");

  /** The parse result, for the command line the card records (what was typed). */
  @Spec CommandSpec spec;

  @Mixin ReplySplitOptions set = new ReplySplitOptions();

  @Option(
      names = "--data",
      defaultValue = "work-data",
      description =
          "prepared data: gold set, held-out text, UCI sentences, lexicon (default:"
              + " ${DEFAULT-VALUE})")
  Path data;

  @Option(
      names = "--l2",
      defaultValue = "0.001",
      description = "L2 penalty of each head (default: ${DEFAULT-VALUE})")
  double l2;

  @Option(
      names = "--sentiment-negatives",
      description =
          "add the UCI sentiment sentences as clean text (measured: lowers validation AUC, so"
              + " off by default)")
  boolean sentimentNegatives;

  @Option(
      names = "--reward-models",
      split = ",",
      defaultValue = "models/arm",
      description =
          "reward model directories whose recorded training split the judge must not overlap;"
              + " directories that record none are noted and skipped (default: ${DEFAULT-VALUE})")
  List<Path> rewardModels;

  @Override
  public Integer call() throws Exception {
    Path out = output.checked();
    JudgeTrainingOptions options =
        JudgeTrainingOptions.builder()
            .replies(set.replies)
            .data(data)
            .out(out)
            .split(set.split())
            .l2(l2)
            .sentimentNegatives(sentimentNegatives)
            .rewardModels(rewardModels)
            .command(ReproducibleCommand.of(spec))
            .build();
    String sha = BgeSmallEncoder.onnxSha256();
    JudgeTrainer trainer =
        new JudgeTrainer(
            BgeSmallEncoder.load(),
            ToxicityJudge.bgeSpec(sha),
            line -> System.err.println("train judge: " + line));
    try (ProgressBar bar =
        TerminalProgress.quietOffTerminal(
                new ProgressBarBuilder()
                    .setTaskName("embed")
                    .setInitialMax(JudgeTrainer.workItems(options))
                    .setStyle(ProgressBarStyle.ASCII)
                    .setUnit(" texts", 1)
                    .showSpeed())
            .build()) {
      System.out.println(trainer.train(options, bar::stepBy));
    }
    return 0;
  }
}
