package io.armguard.decode;

/**
 * How much guidance changed one sequence's decoding.
 *
 * @param steps decoding steps taken
 * @param changedSteps steps where the guided choice differs from the unguided choice under the same
 *     random draw (for greedy: argmax of guided vs LM logits)
 * @param meanRewardShift mean over steps of (expected reward under the guided distribution minus
 *     under the unguided top-k distribution)
 */
public record GuidanceStats(int steps, int changedSteps, double meanRewardShift) {
  public static final GuidanceStats NONE = new GuidanceStats(0, 0, 0.0);
}
