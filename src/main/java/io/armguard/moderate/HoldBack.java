package io.armguard.moderate;

import io.armguard.decode.PrefixScores;

/**
 * The release rule of a streamed reply: how much of the text scored so far may be shown to the
 * user, and where it turns toxic. A pure function of one scoring; positions are chars of the scored
 * text. Stateless and thread-safe.
 *
 * <p>Without a flagged prefix, text is released up to the last word boundary at or before the end
 * of the token {@code holdbackTokens} behind the newest scored token; the end of the scored text
 * counts as a boundary only once the reply is complete (the next chunk may continue the word). A
 * complete reply is released whole. With a flagged prefix (the first token after the released text
 * whose prefix score reaches the threshold) the text before the word in which that token starts is
 * clean and may be released; the rest is withheld and repaired by the caller. A flagged token in
 * the last word while that word may still continue is not acted on yet (a partial word can score
 * unlike the word it becomes); the text before that word follows the rule without a flag. Released
 * text therefore never contains a token whose prefix reached the threshold, and never ends inside a
 * word.
 */
public final class HoldBack {

  private HoldBack() {}

  /**
   * A flagged prefix.
   *
   * @param cut the last word boundary before the flagged word (at or after the released text)
   * @param clauseStart the last clause boundary at or before {@code cut}, never before the released
   *     text: where a rewrite may start (MODERATE's cut, bounded by what was shown)
   * @param spanStart first char of the flagged word
   * @param spanEnd end of the word in which the flagged token ends (that word is complete: a flag
   *     in a word that may still continue is not reported)
   */
  public record Flag(int cut, int clauseStart, int spanStart, int spanEnd) {}

  /**
   * What one scoring allows.
   *
   * @param releaseTo chars of the text that may be released now (never less than released)
   * @param complete the reply is complete, clean, and {@code releaseTo} is its whole length
   * @param flag the flagged prefix, or null
   */
  public record Step(int releaseTo, boolean complete, Flag flag) {}

  /**
   * The step for {@code text}, of which {@code released} chars are already out.
   *
   * @param text the scored text (BOS + text was scored, as MODERATE scores a reply alone)
   * @param scores the scores of every prefix of {@code text}
   * @param released chars already released (a word boundary of {@code text})
   * @param complete whether {@code text} is the whole reply (its final chunk is in)
   * @param threshold the steering threshold
   * @param holdbackTokens tokens the release stays behind the newest scored token (0 = none)
   */
  public static Step assess(
      String text,
      PrefixScores scores,
      int released,
      boolean complete,
      float threshold,
      int holdbackTokens) {
    int[] ends = scores.tokenEndChars();
    float[] steering = scores.steering();
    int t = firstCrossingAfter(ends, steering, threshold, released);
    if (t >= 0) {
      int start = t == 0 ? 0 : Math.min(ends[t - 1], text.length());
      int cut = Math.max(released, WordBoundaries.boundaryAtOrBefore(text, start));
      int clause = Math.max(released, ToxicPrefix.clauseStartAtOrBefore(text, cut));
      int spanStart = WordBoundaries.skipWhitespace(text, cut);
      int spanEnd =
          wordEndAtOrAfter(text, Math.max(spanStart, Math.min(ends[t], text.length())), complete);
      if (spanEnd >= 0) {
        return new Step(cut, false, new Flag(cut, clause, spanStart, spanEnd));
      }
      // The flagged token is in the last word, which the next chunk may still continue ("candidat"
      // scores unlike "candidate"): decide once the word is complete. The rule below never
      // releases into that word, so nothing at or above the threshold goes out meanwhile.
    }
    if (complete) {
      return new Step(Math.max(released, text.length()), true, null);
    }
    int newest = ends.length - 1 - holdbackTokens;
    int limit = newest < 0 ? 0 : Math.min(ends[newest], text.length());
    return new Step(Math.max(released, strictBoundaryAtOrBefore(text, limit)), false, null);
  }

  private static int firstCrossingAfter(int[] ends, float[] steering, float threshold, int from) {
    for (int i = 0; i < steering.length; i++) {
      // a token inside the released text was released under an earlier scoring: not retracted
      if (ends[i] > from && steering[i] >= threshold) {
        return i;
      }
    }
    return -1;
  }

  /** A word boundary at or before {@code limit} whose next char is known (0 always counts). */
  static int strictBoundaryAtOrBefore(String text, int limit) {
    int c = WordBoundaries.boundaryAtOrBefore(text, limit);
    while (c > 0 && c >= text.length()) {
      c = WordBoundaries.boundaryAtOrBefore(text, c - 1);
    }
    return c;
  }

  /** The end of the word that contains {@code from}, or -1 while it may continue. */
  static int wordEndAtOrAfter(String text, int from, boolean complete) {
    int c = Math.max(0, from);
    while (c < text.length() && !Character.isWhitespace(text.charAt(c))) {
      c++;
    }
    return c < text.length() || complete ? c : -1;
  }
}
