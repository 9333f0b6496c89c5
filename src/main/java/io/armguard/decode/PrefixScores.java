package io.armguard.decode;

import java.util.Map;

/**
 * Reward-model scores of every prefix of a text (given its context), from one forward pass.
 *
 * @param tokenIds the text's token ids (tokenized as a continuation of the context)
 * @param tokenEndChars for each token, the char offset in the text where it ends (exclusive), so a
 *     caller can cut the text at a token boundary
 * @param steering per token, the steering label's clamped score of context + text[0..token]
 * @param finalLabelScores per label, the clamped score of the whole text (last position)
 */
public record PrefixScores(
    int[] tokenIds, int[] tokenEndChars, float[] steering, Map<String, Float> finalLabelScores) {

  /** The steering label's score of the whole text (0 for an empty text). */
  public float finalScore() {
    return steering.length == 0 ? 0f : steering[steering.length - 1];
  }
}
