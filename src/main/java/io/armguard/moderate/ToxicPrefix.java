package io.armguard.moderate;

import io.armguard.decode.PrefixScores;

/** Where to cut a toxic response: the longest prefix whose every prefix score stays below. */
public final class ToxicPrefix {

  private ToxicPrefix() {}

  /**
   * Chars of the text to keep: the end of the last token before the first token whose prefix score
   * reaches {@code threshold}; the whole text when no prefix reaches it.
   */
  public static int keptChars(PrefixScores scores, float threshold, int textLength) {
    float[] steering = scores.steering();
    for (int i = 0; i < steering.length; i++) {
      if (steering[i] >= threshold) {
        return i == 0 ? 0 : Math.min(textLength, scores.tokenEndChars()[i - 1]);
      }
    }
    return textLength;
  }
}
