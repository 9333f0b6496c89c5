package io.armguard.cli;

import com.google.gson.JsonObject;
import io.armguard.data.BinaryMetrics;
import io.armguard.data.LabelledText;
import io.armguard.data.PreparedData;
import io.armguard.decode.DecodingModels;
import io.armguard.decode.GuidedEngine;
import io.armguard.decode.PrefixScores;
import io.armguard.decode.TextScoreRequest;
import io.armguard.eval.TextJudge;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code armguard eval reward --gold}: AUC and accuracy of each model on the held-out gold set. */
@Command(
    name = "reward",
    mixinStandardHelpOptions = true,
    description = {
      "Score the held-out gold set (hubot-insulter insults vs compliments, never used in training)"
          + " with each reward model (toxicity of the whole text, the score armguard's MODERATE uses)"
          + " and with the independent judge; one JSON line per model with auc and accuracy (at"
          + " 0.5)."
    })
public final class EvalRewardCommand implements Callable<Integer> {
  @Option(
      names = "--gold",
      description = "evaluate on the gold set (the only set offered; kept for clarity)")
  boolean gold;

  @Option(names = "--json", description = "JSON lines (the only output format; kept for clarity)")
  boolean json;

  @Mixin PreparedDataOption data;

  @Option(
      names = "--lm",
      defaultValue = "models/lm",
      description =
          "language model whose tokenizer the reward models share (default: ${DEFAULT-VALUE})")
  Path lm;

  @Option(
      names = "--reward",
      split = ",",
      defaultValue = "models/arm",
      description = "reward model directories (default: ${DEFAULT-VALUE})")
  List<Path> rewards;

  @Mixin JudgeOption judgeOption;

  @Mixin RuntimeOptions runtime;

  @Override
  public Integer call() throws Exception {
    var device = runtime.apply();
    List<LabelledText> set = PreparedData.readLabelled(data.dir().resolve(PreparedData.GOLD));
    List<String> texts = set.stream().map(LabelledText::text).toList();
    int[] labels = set.stream().mapToInt(LabelledText::label).toArray();
    for (Path dir : rewards) {
      double[] scores = new double[texts.size()];
      try (DecodingModels models = DecodingModels.load(lm, List.of(dir), device);
          GuidedEngine engine = models.newEngine()) {
        for (int i = 0; i < texts.size(); i += 64) {
          List<TextScoreRequest> batch = new ArrayList<>();
          for (int j = i; j < Math.min(texts.size(), i + 64); j++) {
            batch.add(new TextScoreRequest("", texts.get(j)));
          }
          List<PrefixScores> out = engine.scorePrefixes(batch);
          for (int j = 0; j < out.size(); j++) {
            scores[i + j] = out.get(j).finalScore();
          }
        }
        print(models.rewards().get(0).id(), scores, labels);
      }
    }
    TextJudge judge = judgeOption.load();
    print("judge@" + judgeOption.dir().getFileName(), judge.score(texts), labels);
    return 0;
  }

  private static void print(String model, double[] scores, int[] labels) {
    JsonObject o = new JsonObject();
    o.addProperty("model", model);
    o.addProperty("set", "gold");
    o.addProperty("n", labels.length);
    o.addProperty("auc", Math.round(BinaryMetrics.auc(scores, labels) * 1e4) / 1e4);
    o.addProperty("accuracy", Math.round(BinaryMetrics.accuracy(scores, labels, 0.5) * 1e4) / 1e4);
    System.out.println(o);
  }
}
