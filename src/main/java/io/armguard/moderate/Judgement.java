package io.armguard.moderate;

import io.armguard.decode.PrefixScores;
import java.util.Map;

/**
 * The reward model's verdict on one whole text (a reply, a prompt or a delivered rewrite), in the
 * shape of a moderation API's result: per-category scores and flags plus the overall flag.
 *
 * @param score the steering label's score of the whole text (the decision score)
 * @param categoryScores label → score of the whole text, in the model's label order
 * @param categories label → whether its score is at or above its threshold
 * @param flagged whether any category is flagged
 */
public record Judgement(
    float score,
    Map<String, Float> categoryScores,
    Map<String, Boolean> categories,
    boolean flagged) {

  public Judgement {
    categoryScores =
        java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(categoryScores));
    categories = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(categories));
  }

  /** The judgement of a scored text under {@code thresholds}. */
  public static Judgement of(PrefixScores scores, CategoryThresholds thresholds) {
    Map<String, Boolean> categories = thresholds.categories(scores.finalLabelScores());
    return new Judgement(
        scores.finalScore(),
        scores.finalLabelScores(),
        categories,
        categories.containsValue(Boolean.TRUE));
  }
}
