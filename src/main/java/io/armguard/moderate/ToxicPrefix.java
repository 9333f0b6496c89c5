package io.armguard.moderate;

import io.armguard.decode.PrefixScores;
import java.util.ArrayList;
import java.util.List;

/**
 * Where a flagged reply turns: the first prefix whose steering score reaches the threshold, the cut
 * before it on a word boundary, and the score trajectory a reviewer reads. Positions are chars of
 * the reply as received.
 */
public final class ToxicPrefix {

  private ToxicPrefix() {}

  /** Index of the first token whose prefix score reaches {@code threshold}, or -1. */
  public static int firstCrossing(PrefixScores scores, float threshold) {
    float[] steering = scores.steering();
    for (int i = 0; i < steering.length; i++) {
      if (steering[i] >= threshold) {
        return i;
      }
    }
    return -1;
  }

  /**
   * Chars of the reply to keep: the last word boundary ({@link WordBoundaries}) at or before the
   * start of the first token whose prefix score reaches {@code threshold}; the whole text when no
   * prefix reaches it. A token that straddles a word is dropped with its whole word.
   */
  public static int keptChars(PrefixScores scores, float threshold, String text) {
    int t = firstCrossing(scores, threshold);
    if (t < 0) {
      return text.length();
    }
    return WordBoundaries.boundaryAtOrBefore(text, tokenStart(scores, t, text));
  }

  /**
   * The first char of the word in which the first token that reaches {@code threshold} starts (the
   * first char after the cut), or -1 when no prefix reaches it.
   */
  public static int firstFlaggedChar(PrefixScores scores, float threshold, String text) {
    return firstCrossing(scores, threshold) < 0
        ? -1
        : WordBoundaries.skipWhitespace(text, keptChars(scores, threshold, text));
  }

  /**
   * The steering score at every word end of the reply (and at its last token), compact enough for
   * an audit record.
   */
  public static List<ScorePoint> trajectory(PrefixScores scores, String text) {
    int[] ends = scores.tokenEndChars();
    float[] steering = scores.steering();
    List<ScorePoint> out = new ArrayList<>();
    for (int i = 0; i < steering.length; i++) {
      int end = Math.min(ends[i], text.length());
      boolean last = i == steering.length - 1;
      if (end > 0 && (last || WordBoundaries.isBoundary(text, end))) {
        if (!out.isEmpty() && out.get(out.size() - 1).endChar() == end) {
          out.set(out.size() - 1, new ScorePoint(end, steering[i]));
        } else {
          out.add(new ScorePoint(end, steering[i]));
        }
      }
    }
    return out;
  }

  private static int tokenStart(PrefixScores scores, int t, String text) {
    return t == 0 ? 0 : Math.min(scores.tokenEndChars()[t - 1], text.length());
  }
}
