package io.armguard.data;

import com.google.gson.JsonObject;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * How {@code train replies} and {@code train judge} divide the reply set: the validation batches
 * calibrate, the held-out batches are only scored, and each other (training) batch is split by a
 * stable hash of the reply id: the judge's share for the independent judge, the rest for the reward
 * models. Both commands default to {@link #DEFAULT}, so that the judge trains on what the reward
 * models left out. Immutable; the batch names are not checked against a set here.
 *
 * @param validBatches batches that calibrate (never trained on)
 * @param heldOutBatches batches only scored (never trained on)
 * @param judgeShare share of every training batch kept for the judge
 */
public record ReplySplit(
    List<String> validBatches, List<String> heldOutBatches, double judgeShare) {

  /**
   * Validation {@link ReplySet#VALIDATION_BATCHES}, held out {@link ReplySet#HELD_OUT_BATCHES},
   * judge's share 0.2.
   */
  public static final ReplySplit DEFAULT =
      new ReplySplit(ReplySet.VALIDATION_BATCHES, ReplySet.HELD_OUT_BATCHES, 0.2);

  public ReplySplit {
    validBatches = List.copyOf(validBatches);
    heldOutBatches = List.copyOf(heldOutBatches);
  }

  /** The validation then the held-out batches: what no model of the split trains on. */
  public List<String> evaluationBatches() {
    List<String> out = new ArrayList<>(validBatches);
    out.addAll(heldOutBatches);
    return out;
  }

  /** The replies the reward models train on: training batches minus the judge's share. */
  public ReplySet rewardTraining(ReplySet all) {
    return trainingBatches(all).splitByHash(judgeShare, "judge")[0];
  }

  /** The judge's share of the training batches, as drawn (before {@link #judgeTraining}). */
  public ReplySet judgeShareOf(ReplySet all) {
    return trainingBatches(all).splitByHash(judgeShare, "judge")[1];
  }

  /**
   * The replies an independent judge trains on: the judge's share, minus any reply whose text (by
   * {@link TextKey}) is also in {@link #rewardTraining} (a text written twice can fall on both
   * sides of the hash split). Disjoint from the reward models' training set by id and by text.
   */
  public ReplySet judgeTraining(ReplySet all) {
    Set<String> rewardTexts = new HashSet<>();
    for (ReplyItem i : rewardTraining(all).items()) {
      rewardTexts.add(TextKey.of(i.reply()));
    }
    List<ReplyItem> kept = new ArrayList<>();
    for (ReplyItem i : judgeShareOf(all).items()) {
      if (!rewardTexts.contains(TextKey.of(i.reply()))) {
        kept.add(i);
      }
    }
    return ReplySet.of(kept);
  }

  /** The validation batches of {@code all}. */
  public ReplySet valid(ReplySet all) {
    return all.only(new HashSet<>(validBatches));
  }

  /** The held-out batches of {@code all}. */
  public ReplySet heldOut(ReplySet all) {
    return all.only(new HashSet<>(heldOutBatches));
  }

  /**
   * Adds {@code valid_batches}, {@code held_out_batches} and {@code judge_share}, in this order, to
   * a checkpoint identity or a card's settings ({@code training.json} readers recompute the split
   * from them).
   */
  public void addSettings(JsonObject settings) {
    settings.addProperty("valid_batches", String.join(",", validBatches));
    settings.addProperty("held_out_batches", String.join(",", heldOutBatches));
    settings.addProperty("judge_share", judgeShare);
  }

  private ReplySet trainingBatches(ReplySet all) {
    return all.without(new HashSet<>(evaluationBatches()));
  }
}
