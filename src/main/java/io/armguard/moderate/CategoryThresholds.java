package io.armguard.moderate;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Per-category thresholds: a category (a reward-model label) is flagged when its score is at or
 * above its threshold; labels without their own threshold use the default one. Immutable.
 *
 * @param defaultThreshold in [0, 1], for labels not in {@code perLabel} ({@code
 *     toxicity.threshold})
 * @param perLabel label → threshold in [0, 1] ({@code toxicity.threshold.<label>})
 * @param steeringOverride a request's own {@code toxicity_threshold}, for the steering label
 *     (whichever label the engine steers by; see {@link #resolvedFor}); null when none
 */
public record CategoryThresholds(
    float defaultThreshold, Map<String, Float> perLabel, Float steeringOverride) {

  public CategoryThresholds {
    perLabel = Map.copyOf(perLabel);
    check("default", defaultThreshold);
    perLabel.forEach(CategoryThresholds::check);
    if (steeringOverride != null) {
      check("the request", steeringOverride);
    }
  }

  /** Configured thresholds, no request override. */
  public CategoryThresholds(float defaultThreshold, Map<String, Float> perLabel) {
    this(defaultThreshold, perLabel, null);
  }

  /** One threshold for every label. */
  public static CategoryThresholds uniform(float threshold) {
    return new CategoryThresholds(threshold, Map.of());
  }

  /** A copy carrying a request's own threshold for the steering label (null = none). */
  public CategoryThresholds withRequestThreshold(Float threshold) {
    return new CategoryThresholds(defaultThreshold, perLabel, threshold);
  }

  /** The thresholds with the request's override applied to {@code steeringLabel}. */
  public CategoryThresholds resolvedFor(String steeringLabel) {
    return steeringOverride == null || steeringLabel == null
        ? this
        : with(steeringLabel, steeringOverride);
  }

  /** The threshold of {@code label}. */
  public float of(String label) {
    return perLabel.getOrDefault(label, defaultThreshold);
  }

  /** A copy where {@code label} has {@code threshold} (e.g. a request's own toxicity_threshold). */
  public CategoryThresholds with(String label, float threshold) {
    Map<String, Float> m = new LinkedHashMap<>(perLabel);
    m.put(label, threshold);
    return new CategoryThresholds(defaultThreshold, m, null);
  }

  /** Label → whether its score is at or above its threshold, in the scores' order. */
  public Map<String, Boolean> categories(Map<String, Float> scores) {
    Map<String, Boolean> out = new LinkedHashMap<>();
    scores.forEach((label, score) -> out.put(label, score >= of(label)));
    return out;
  }

  /** Label → threshold for each of {@code labels}, in their order (for the audit). */
  public Map<String, Float> forLabels(Iterable<String> labels) {
    Map<String, Float> out = new LinkedHashMap<>();
    labels.forEach(l -> out.put(l, of(l)));
    return out;
  }

  private static void check(String label, float t) {
    if (!(t >= 0f && t <= 1f)) {
      throw new IllegalArgumentException("threshold of " + label + " must be in [0, 1], got " + t);
    }
  }
}
