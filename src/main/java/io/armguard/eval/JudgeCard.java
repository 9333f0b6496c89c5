package io.armguard.eval;

import com.google.gson.JsonObject;
import io.armguard.data.ReplyLabels;
import java.util.Locale;

/**
 * The prose of the judge's {@code README.md} model card, written from the facts {@link
 * JudgeTrainer} measured (so the card's figures are always the ones in {@code training.json}).
 */
final class JudgeCard {
  private JudgeCard() {}

  static String describe(JsonObject facts) {
    JsonObject enc = facts.getAsJsonObject("encoder");
    JsonObject settings = facts.getAsJsonObject("settings");
    JsonObject data = facts.getAsJsonObject("data");
    StringBuilder md = new StringBuilder();
    md.append("The independent judge of `eval detox` and `eval reward`: it scores texts for")
        .append(" toxicity and five categories. It is never used for steering, and it shares")
        .append(" neither backbone nor training replies with the reward models it judges.\n\n");
    md.append("- Encoder: ")
        .append(enc.get("id").getAsString())
        .append(", frozen, ")
        .append(enc.get("pooling").getAsString())
        .append(" pooling, L2-normalised, ")
        .append(enc.get("dimension").getAsInt())
        .append("-d; from the Maven artifact `")
        .append(enc.get("maven").getAsString())
        .append("` (file `")
        .append(enc.get("onnx").getAsString())
        .append("`, SHA-256 `")
        .append(enc.get("sha256").getAsString())
        .append("`, checked at load). No encoder weights are stored here.\n");
    md.append("- Heads: one class-balanced logistic regression per label (")
        .append(String.join(", ", ReplyLabels.LABELS))
        .append("; L2 ")
        .append(settings.get("l2").getAsDouble())
        .append(", Newton/IRLS), each Platt-scaled on batch(es) `")
        .append(settings.get("valid_batches").getAsString())
        .append("`; a text is toxic when its calibrated `toxicity` probability is at least ")
        .append(settings.get("threshold").getAsDouble())
        .append(". Weights: `judge.json`.\n");
    md.append("- Training data: the judge's share (")
        .append(settings.get("judge_share").getAsDouble())
        .append(" by a stable hash of the id) of reply-set batches `")
        .append(data.get("train_batches").getAsString())
        .append("`: ")
        .append(data.get("train_replies").getAsInt())
        .append(" replies, the part `train replies` leaves out of the reward models' training (")
        .append(data.get("dropped_duplicates").getAsInt())
        .append(" dropped whose text a reward model trains on)");
    if (data.get("sentiment_negatives").getAsInt() > 0) {
      md.append(", plus ")
          .append(data.get("sentiment_negatives").getAsInt())
          .append(" UCI sentiment sentences (either tone) as clean text");
    }
    md.append(". Held out: batch(es) `")
        .append(settings.get("held_out_batches").getAsString())
        .append("` and the gold set (hubot-insulter), only scored.\n\n");
    md.append("| set | AUC | recall | FPR |\n|---|---|---|---|\n");
    row(md, "validation (`" + settings.get("valid_batches").getAsString() + "`)", facts, "valid");
    if (facts.has("held_out")) {
      row(
          md,
          "held out (`" + settings.get("held_out_batches").getAsString() + "`)",
          facts,
          "held_out");
    }
    row(md, "gold (hubot-insulter)", facts, "gold");
    if (facts.has("held_out")) {
      JsonObject cats = facts.getAsJsonObject("held_out").getAsJsonObject("categories");
      md.append("\nHeld-out AUC per category: ");
      StringBuilder parts = new StringBuilder();
      for (String c : ReplyLabels.CATEGORIES) {
        if (cats.has(c)) {
          parts
              .append(parts.length() == 0 ? "" : ", ")
              .append(c)
              .append(' ')
              .append(fmt(cats.getAsJsonObject(c).get("auc").getAsDouble()));
        }
      }
      md.append(parts).append(".\n");
    }
    JsonObject ordinary = facts.getAsJsonObject("ordinary_text");
    md.append("\nOrdinary human text (")
        .append(ordinary.get("texts").getAsInt())
        .append(" openings of ")
        .append(ordinary.get("words").getAsInt())
        .append(" words of `work-data/lm/heldout.txt`, as `eval detox` scores its baseline):")
        .append(" mean toxicity ")
        .append(fmt(ordinary.get("mean_toxicity").getAsDouble()))
        .append(", share flagged ")
        .append(fmt(ordinary.get("share_toxic").getAsDouble()))
        .append(", average max over groups of ")
        .append(ordinary.get("group_size").getAsInt())
        .append(' ')
        .append(fmt(ordinary.get("avg_max_toxicity").getAsDouble()))
        .append(".\n\nTo reproduce, run `./armguard data prepare` (the gold set, held-out text and")
        .append(" UCI sentences come from it), then the command below.");
    return md.toString();
  }

  private static void row(StringBuilder md, String name, JsonObject facts, String key) {
    JsonObject m = facts.getAsJsonObject(key);
    md.append("| ")
        .append(name)
        .append(" | ")
        .append(fmt(m.get("auc").getAsDouble()))
        .append(" | ")
        .append(fmt(m.get("recall").getAsDouble()))
        .append(" | ")
        .append(fmt(m.get("fpr").getAsDouble()))
        .append(" |\n");
  }

  private static String fmt(double v) {
    return String.format(Locale.ROOT, "%.3f", v);
  }
}
