package io.armguard.eval;

import com.google.gson.Gson;
import com.google.gson.JsonObject;
import io.armguard.data.ReplyItem;
import io.armguard.data.ReplySet;
import io.armguard.data.ReplySplit;
import io.armguard.data.TextKey;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Which replies of the reply set the judge may see, and what for: it trains on the judge's share of
 * the reward models' training batches (the second part of their {@code splitByHash(share,
 * "judge")}), calibrates on the validation batches and is measured on the held-out batches. A reply
 * written twice (the same text in two batches) can fall on both sides of the hash split; the judge
 * drops its copy, so that it never trains on a text a reward model trained on. Immutable.
 *
 * @param train the replies the judge's heads are fitted on
 * @param valid the replies its calibration is fitted on
 * @param heldOut the replies it is only measured on
 * @param droppedDuplicates judge-share replies dropped because a reward model trains on the text
 */
public record JudgeSplit(ReplySet train, ReplySet valid, ReplySet heldOut, int droppedDuplicates) {

  /**
   * The judge's split of {@code all}, for reward models trained with this same {@code split}
   * ({@code train replies}' defaults: {@link ReplySplit#DEFAULT}).
   *
   * @throws IllegalArgumentException if a named batch is missing or the share is not in (0, 1)
   */
  public static JudgeSplit of(ReplySet all, ReplySplit split) {
    double judgeShare = split.judgeShare();
    if (!(judgeShare > 0 && judgeShare < 1)) {
      throw new IllegalArgumentException("judge share must be in (0, 1), got " + judgeShare);
    }
    for (String b : new HashSet<>(split.evaluationBatches())) {
      if (!all.batches().contains(b)) {
        throw new IllegalArgumentException("no batch '" + b + "'; the set has " + all.batches());
      }
    }
    ReplySet kept = split.judgeTraining(all);
    JudgeSplit judgeSplit =
        new JudgeSplit(
            kept,
            split.valid(all),
            split.heldOut(all),
            split.judgeShareOf(all).size() - kept.size());
    judgeSplit.requireDisjointFrom(split.rewardTraining(all), "the reward models' training split");
    return judgeSplit;
  }

  /**
   * Refuses a training set that shares a reply (by id or by {@link TextKey text}) with {@code
   * rewardTraining}.
   *
   * @param what names {@code rewardTraining} in the message
   * @throws IllegalStateException naming how many replies overlap and the first few
   */
  public void requireDisjointFrom(ReplySet rewardTraining, String what) {
    Map<String, String> byText =
        rewardTraining.items().stream()
            .collect(Collectors.toMap(i -> TextKey.of(i.reply()), ReplyItem::id, (a, b) -> a));
    Set<String> ids =
        rewardTraining.items().stream().map(ReplyItem::id).collect(Collectors.toSet());
    List<String> overlap = new ArrayList<>();
    for (ReplyItem i : train.items()) {
      if (ids.contains(i.id())) {
        overlap.add(i.id());
      } else if (byText.containsKey(TextKey.of(i.reply()))) {
        overlap.add(i.id() + " (same text as " + byText.get(TextKey.of(i.reply())) + ")");
      }
    }
    if (!overlap.isEmpty()) {
      throw new IllegalStateException(
          "the judge's training replies overlap "
              + what
              + " in "
              + overlap.size()
              + " replies, e.g. "
              + overlap.subList(0, Math.min(5, overlap.size()))
              + "; the judge must train on data no reward model trained on (use the reward"
              + " models' --valid-batches, --held-out-batches and --judge-share)");
    }
  }

  /**
   * The replies of {@code all} that the reward model in {@code rewardDir} trained on, recomputed
   * from the split settings its {@code training.json} records ({@code train replies}); empty for a
   * model that records none (one not trained on the reply set).
   *
   * @throws IOException if {@code training.json} cannot be read
   */
  public static Optional<ReplySet> rewardTrainingOf(Path rewardDir, ReplySet all)
      throws IOException {
    Path file = rewardDir.resolve("training.json");
    if (!Files.isRegularFile(file)) {
      return Optional.empty();
    }
    JsonObject facts = new Gson().fromJson(Files.readString(file), JsonObject.class);
    JsonObject settings = facts.has("settings") ? facts.getAsJsonObject("settings") : null;
    if (settings == null || !settings.has("judge_share")) {
      return Optional.empty();
    }
    return Optional.of(
        new ReplySplit(
                batches(settings.get("valid_batches").getAsString()),
                batches(settings.get("held_out_batches").getAsString()),
                settings.get("judge_share").getAsDouble())
            .rewardTraining(all));
  }

  private static List<String> batches(String commaSeparated) {
    return Arrays.stream(commaSeparated.split(",")).filter(b -> !b.isBlank()).toList();
  }
}
