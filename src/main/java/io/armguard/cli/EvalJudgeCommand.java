package io.armguard.cli;

import com.google.gson.JsonObject;
import io.armguard.data.PreparedData;
import io.armguard.data.ReplyItem;
import io.armguard.data.ReplyLabels;
import io.armguard.data.ReplyMetrics;
import io.armguard.data.ReplySet;
import io.armguard.eval.JudgeBaseline;
import io.armguard.eval.JudgeTrainer;
import io.armguard.eval.Judges;
import io.armguard.eval.TextJudge;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code eval judge}: measures an independent judge of either kind the way its card reports it, so
 * two judges can be compared on the same sets: AUC, recall and false-positive rate per batch set
 * (with per-category AUC where the judge has category heads), on the gold set, and its mean on
 * openings of held-out human text (the floor under every {@code eval detox} figure).
 */
@Command(
    name = "judge",
    mixinStandardHelpOptions = true,
    description = {
      "Measure an independent judge (models/judge, or any judge directory: a frozen-encoder"
          + " judge.json or a fine-tuned classifier directory) and print one JSON line per set:"
          + " the named reply-set batches, the gold set (with --gold) and openings of held-out"
          + " human text (what eval detox's baseline row scores)."
    })
public final class EvalJudgeCommand implements Callable<Integer> {
  @Option(
      names = "--judge",
      defaultValue = "models/judge",
      description = "judge directory (default: ${DEFAULT-VALUE})")
  Path judgeDir;

  @Mixin ReplySetOption replies;

  @Option(
      names = "--batches",
      split = ",",
      defaultValue =
          io.armguard.data.ReplySet.VALIDATION + "," + io.armguard.data.ReplySet.HELD_OUT,
      description = "batches scored, each on its own line (default: ${DEFAULT-VALUE})")
  List<String> batches;

  @Option(names = "--gold", description = "also score the gold set (from `data prepare`)")
  boolean gold;

  @Option(
      names = "--data",
      defaultValue = "work-data",
      description =
          "prepared data: gold set and held-out human text (default: ${DEFAULT-VALUE}; from"
              + " `./armguard data fetch && ./armguard data prepare`)")
  Path data;

  @Option(
      names = "--ordinary-texts",
      defaultValue = "500",
      description =
          "openings of held-out human text scored (0 = none; default: ${DEFAULT-VALUE}; groups"
              + " of 5, as eval detox groups its samples)")
  int ordinaryTexts;

  @Option(
      names = "--ordinary-words",
      defaultValue = "15",
      description = "words per opening (default: ${DEFAULT-VALUE})")
  int ordinaryWords;

  @Override
  public Integer call() throws Exception {
    ReplySet all = replies.load();
    for (String b : batches) {
      if (!all.batches().contains(b)) {
        throw new IllegalArgumentException("no batch '" + b + "'; the set has " + all.batches());
      }
    }
    try (TextJudge judge = Judges.load(judgeDir)) {
      for (String b : batches) {
        List<ReplyItem> items = all.only(new LinkedHashSet<>(List.of(b))).items();
        JsonObject line =
            ReplyMetrics.of(
                items,
                judge.scoreLabels(items.stream().map(ReplyItem::reply).toList(), n -> {}),
                ReplyLabels.TOXICITY,
                judge.threshold());
        line.addProperty("set", "replies:" + b);
        print(line);
      }
      if (gold) {
        JsonObject line = new JsonObject();
        line.addProperty("set", "gold");
        JudgeTrainer.gold(judge, data, n -> {})
            .entrySet()
            .forEach(e -> line.add(e.getKey(), e.getValue()));
        print(line);
      }
      if (ordinaryTexts > 0) {
        Path heldout = data.resolve(PreparedData.LM_HELDOUT);
        if (!Files.isRegularFile(heldout)) {
          throw new IllegalArgumentException(
              "no "
                  + heldout
                  + ": run ./armguard data fetch && ./armguard data prepare (or pass"
                  + " --ordinary-texts 0)");
        }
        List<String> ordinary =
            JudgeBaseline.openings(
                PreparedData.readLines(heldout), ordinaryTexts, ordinaryWords, 1234);
        JsonObject line =
            JudgeBaseline.of(judge.score(ordinary), 5, Double.NaN)
                .toJson(PreparedData.LM_HELDOUT + " openings", ordinaryWords);
        line.addProperty("set", "ordinary_text");
        print(line);
      }
    }
    return 0;
  }

  private void print(JsonObject line) {
    line.addProperty("judge", judgeDir.toString());
    System.out.println(line);
  }
}
