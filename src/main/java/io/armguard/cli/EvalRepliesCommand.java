package io.armguard.cli;

import ai.djl.ndarray.NDManager;
import com.google.gson.JsonObject;
import io.armguard.data.LabelledText;
import io.armguard.data.PreparedData;
import io.armguard.data.ReplyItem;
import io.armguard.data.ReplyMetrics;
import io.armguard.data.ReplySet;
import io.armguard.decode.PrefixScores;
import io.armguard.decode.RewardPrefixScorer;
import io.armguard.decode.TextScoreRequest;
import io.armguard.model.EngineThreads;
import io.armguard.reward.RewardModel;
import io.armguard.reward.RewardModels;
import java.io.BufferedWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code armguard eval replies}: scores labelled replies with a reward model the way MODERATE does
 * (the reply alone, every prefix in one pass, the model's calibrated output) and prints one JSON
 * line of metrics per set.
 */
@Command(
    name = "replies",
    mixinStandardHelpOptions = true,
    description = {
      "Score labelled chatbot replies with a reward model the way MODERATE scores them (the reply"
          + " alone, calibrated) and print one JSON line per set: AUC, recall and false-positive"
          + " rate at the threshold, per-category AUC, and the share flagged per kind.",
      "Sets: the named batches of the reply set (data/replies; default: the validation batches"
          + " val, rsel and csel, which no model trains on) and, with --gold, the hubot-insulter gold set"
          + " from `data prepare`."
    })
public final class EvalRepliesCommand implements Callable<Integer> {
  @Option(
      names = "--model",
      defaultValue = "models/arm",
      description = "reward model directory (default: ${DEFAULT-VALUE})")
  Path model;

  @Mixin ReplySetOption replies;

  @Option(
      names = "--batches",
      split = ",",
      defaultValue = io.armguard.data.ReplySet.VALIDATION,
      description = "batches to score, comma-separated, or 'all' (default: ${DEFAULT-VALUE})")
  List<String> batches;

  @Option(
      names = "--gold",
      description = "also score the gold set (work-data/gold/gold.jsonl from `data prepare`)")
  boolean gold;

  @Option(
      names = "--data",
      defaultValue = "work-data",
      description = "prepared data, for --gold (default: ${DEFAULT-VALUE})")
  Path data;

  @Option(
      names = "--threshold",
      defaultValue = "0.5",
      description = "decision threshold on the steering label (default: ${DEFAULT-VALUE})")
  double threshold;

  @Option(
      names = "--items",
      description = "also write one JSON line per scored reply (id, label, scores) to this file")
  Path itemsFile;

  @Mixin RuntimeOptions runtime;

  @Override
  public Integer call() throws Exception {
    var device = runtime.apply();
    ReplySet set = replies.load();
    Set<String> names = batches.contains("all") ? set.batches() : new LinkedHashSet<>(batches);
    for (String b : names) {
      if (!set.batches().contains(b)) {
        throw new IllegalArgumentException(
            "no batch '" + b + "' in " + replies.path() + " (batches: " + set.batches() + ")");
      }
    }
    try (NDManager root = NDManager.newBaseManager(device);
        BufferedWriter items =
            itemsFile == null ? null : Files.newBufferedWriter(itemsFile, StandardCharsets.UTF_8)) {
      RewardModel reward = RewardModels.load(model, root);
      RewardPrefixScorer scorer = new RewardPrefixScorer(reward, reward.tokenizer(), root);
      String steering = reward.info().steeringLabel();
      List<ReplyItem> chosen = set.only(names).items();
      List<PrefixScores> scores = score(scorer, chosen.stream().map(ReplyItem::reply).toList());
      JsonObject o = ReplyMetrics.of(chosen, finals(scores), steering, threshold);
      JsonObject line = new JsonObject();
      line.addProperty("model", reward.id());
      line.addProperty("set", "replies:" + String.join("+", names));
      o.entrySet().forEach(e -> line.add(e.getKey(), e.getValue()));
      System.out.println(line);
      if (items != null) {
        for (int i = 0; i < chosen.size(); i++) {
          JsonObject it = new JsonObject();
          it.addProperty("id", chosen.get(i).id());
          it.addProperty("toxic", chosen.get(i).toxic() ? 1 : 0);
          it.addProperty("kind", chosen.get(i).kind());
          it.addProperty("score", scores.get(i).finalScore());
          it.addProperty("reply", chosen.get(i).reply());
          items.write(it + "\n");
        }
      }
      if (gold) {
        List<LabelledText> g = PreparedData.readLabelled(data.resolve(PreparedData.GOLD));
        List<PrefixScores> gs = score(scorer, g.stream().map(LabelledText::text).toList());
        List<ReplyItem> asItems = ReplySet.fromLabelled(g, "gold").items();
        JsonObject go = ReplyMetrics.of(asItems, finals(gs), steering, threshold);
        go.remove("categories");
        go.remove("flagged_by_kind");
        JsonObject gl = new JsonObject();
        gl.addProperty("model", reward.id());
        gl.addProperty("set", "gold");
        go.entrySet().forEach(e -> gl.add(e.getKey(), e.getValue()));
        System.out.println(gl);
      }
    }
    return 0;
  }

  private static List<java.util.Map<String, Float>> finals(List<PrefixScores> scores) {
    return scores.stream().map(PrefixScores::finalLabelScores).toList();
  }

  private static List<PrefixScores> score(RewardPrefixScorer scorer, List<String> texts) {
    return EngineThreads.inferenceOnly(
        () -> {
          List<PrefixScores> out = new ArrayList<>();
          for (int i = 0; i < texts.size(); i += 32) {
            List<TextScoreRequest> batch = new ArrayList<>();
            for (int j = i; j < Math.min(texts.size(), i + 32); j++) {
              batch.add(new TextScoreRequest("", texts.get(j)));
            }
            out.addAll(scorer.scorePrefixes(batch));
          }
          return out;
        });
  }
}
