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
   * Chars of the reply to keep: the start of the clause in which the reply turns, i.e. the last
   * clause boundary (after {@code . , ; : ! ?} or a dash and whitespace, or after a line break) at
   * or before the word in which the first token whose prefix score reaches {@code threshold} starts
   * ({@link #wordCut}); 0 when that clause is the first; the whole text when no prefix reaches the
   * threshold. Why a clause and not the word: the words just before an insult ("honestly, you are
   * an") already commit the reply to it, and a guided rewrite that must continue them mostly cannot
   * get clean; a clause boundary leaves the rewrite free. A clause boundary is a word boundary, so
   * a token that straddles a word is still dropped with its whole word.
   */
  public static int keptChars(PrefixScores scores, float threshold, String text) {
    int word = wordCut(scores, threshold, text);
    return word == text.length() ? word : clauseStartAtOrBefore(text, word);
  }

  /**
   * The last word boundary ({@link WordBoundaries}) at or before the start of the first token whose
   * prefix score reaches {@code threshold}; the whole text when no prefix reaches it.
   */
  public static int wordCut(PrefixScores scores, float threshold, String text) {
    int t = firstCrossing(scores, threshold);
    if (t < 0) {
      return text.length();
    }
    return WordBoundaries.boundaryAtOrBefore(text, tokenStart(scores, t, text));
  }

  /**
   * The last clause boundary at or before {@code end}: 0, or the end of a word that ends with
   * clause punctuation and is followed by whitespace (a word boundary, as {@link #wordCut} gives).
   */
  static int clauseStartAtOrBefore(String text, int end) {
    return boundaryAtOrBefore(text, end, ".,;:!?\u2014\u2013-");
  }

  /**
   * The last sentence boundary at or before {@code end}: 0, or the end of a word that ends with
   * {@code . ! ?} and is followed by whitespace, or a line break. Redaction falls back to it when
   * the kept clause dangles ("... room 204. Go, [removed]").
   */
  static int sentenceStartAtOrBefore(String text, int end) {
    return boundaryAtOrBefore(text, end, ".!?");
  }

  private static int boundaryAtOrBefore(String text, int end, String punctuation) {
    for (int p = Math.min(end, text.length()); p > 0; p--) {
      if (!Character.isWhitespace(text.charAt(p - 1))) {
        continue;
      }
      int q = p - 1;
      while (q > 0 && Character.isWhitespace(text.charAt(q - 1))) {
        q--;
      }
      if (q == 0) {
        return 0;
      }
      char c = text.charAt(q - 1);
      if (text.charAt(p - 1) == '\n' || punctuation.indexOf(c) >= 0) {
        return q; // right after the punctuation, like every word cut (the rewrite adds the space)
      }
    }
    return 0;
  }

  /**
   * The first char of the word in which the first token that reaches {@code threshold} starts (the
   * first char after the cut), or -1 when no prefix reaches it.
   */
  public static int firstFlaggedChar(PrefixScores scores, float threshold, String text) {
    return firstCrossing(scores, threshold) < 0
        ? -1
        : WordBoundaries.skipWhitespace(text, wordCut(scores, threshold, text));
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
