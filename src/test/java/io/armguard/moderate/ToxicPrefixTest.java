package io.armguard.moderate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.armguard.decode.PrefixScores;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

class ToxicPrefixTest {

  private static PrefixScores scores(int[] ends, float[] steering) {
    return new PrefixScores(new int[ends.length], ends, steering, Map.of());
  }

  @Test
  void cutsAtTheWordEndBeforeTheFirstTokenReachingTheThreshold() {
    String text = "you are too stupid"; // BPE-like tokens: "you" " are" " too" " st" "upid"
    PrefixScores s =
        scores(new int[] {3, 7, 11, 14, 18}, new float[] {0.1f, 0.2f, 0.3f, 0.4f, 0.9f});
    assertEquals(11, ToxicPrefix.wordCut(s, 0.5f, text)); // not after "too st"
    assertEquals(12, ToxicPrefix.firstFlaggedChar(s, 0.5f, text)); // first char of "stupid"
    assertEquals(7, ToxicPrefix.wordCut(s, 0.25f, text));
    assertEquals(0, ToxicPrefix.wordCut(s, 0.05f, text));
    assertEquals(18, ToxicPrefix.wordCut(s, 0.95f, text));
    assertEquals(-1, ToxicPrefix.firstFlaggedChar(s, 0.95f, text));
  }

  @Test
  void theKeptPrefixEndsAtTheClauseInWhichTheReplyTurns() {
    // "Sure, here it is. Honestly you are an idiot." flagged at "idiot"
    String text = "Sure, here it is. Honestly you are an idiot.";
    int[] ends = {4, 5, 10, 13, 16, 17, 26, 30, 34, 37, 43, 44};
    float[] steering = {0, 0, 0, 0, 0, 0, 0.1f, 0.2f, 0.2f, 0.3f, 0.9f, 0.9f};
    PrefixScores s = scores(ends, steering);
    assertEquals(37, ToxicPrefix.wordCut(s, 0.5f, text)); // "... you are an"
    assertEquals(17, ToxicPrefix.keptChars(s, 0.5f, text)); // "Sure, here it is."
    assertEquals(38, ToxicPrefix.firstFlaggedChar(s, 0.5f, text)); // still the flagged word
    // no clause boundary before the flag: the whole reply is rewritten
    String plain = "you are an idiot";
    PrefixScores p = scores(new int[] {3, 7, 10, 16}, new float[] {0, 0, 0.1f, 0.9f});
    assertEquals(0, ToxicPrefix.keptChars(p, 0.5f, plain));
    // unflagged: everything is kept
    assertEquals(text.length(), ToxicPrefix.keptChars(s, 0.95f, text));
  }

  @Test
  void punctuationStaysWithItsWord() {
    String text = "They are loud, stupid people";
    PrefixScores s =
        scores(new int[] {4, 8, 13, 14, 21, 28}, new float[] {0, 0, 0, 0.1f, 0.8f, 0.8f});
    assertEquals(14, ToxicPrefix.wordCut(s, 0.5f, text)); // "They are loud,"
    // word ends only: "loud" is not one (",", follows), "loud," is
    assertEquals(
        List.of(4, 8, 14, 21, 28),
        ToxicPrefix.trajectory(s, text).stream().map(ScorePoint::endChar).toList());
  }

  /**
   * Property: over random replies (words, punctuation, runs of spaces and newlines), random token
   * splits (tokens straddle words and carry leading whitespace) and random scores and thresholds,
   * the cut is always a word boundary, never after the first crossing token's start, and the kept
   * prefix holds no crossing token.
   */
  @Test
  void theCutIsNeverInsideAWord() {
    Random random = new Random(20261201);
    String[] words = {"a", "you", "stupid", "idiot,", "fine.", "ok!", "don't", "café", "x-ray"};
    String[] gaps = {" ", " ", "  ", "\n", " \t"};
    for (int trial = 0; trial < 5000; trial++) {
      StringBuilder sb = new StringBuilder();
      int n = 1 + random.nextInt(12);
      for (int w = 0; w < n; w++) {
        if (w > 0 || random.nextInt(5) == 0) {
          sb.append(gaps[random.nextInt(gaps.length)]);
        }
        sb.append(words[random.nextInt(words.length)]);
      }
      String text = sb.toString();
      List<Integer> ends = new ArrayList<>();
      int c = 0;
      while (c < text.length()) {
        c = Math.min(text.length(), c + 1 + random.nextInt(4));
        ends.add(c);
      }
      float[] steering = new float[ends.size()];
      for (int i = 0; i < steering.length; i++) {
        steering[i] = random.nextFloat();
      }
      PrefixScores s = scores(ends.stream().mapToInt(Integer::intValue).toArray(), steering);
      float threshold = random.nextFloat();
      int kept = ToxicPrefix.keptChars(s, threshold, text);
      int first = ToxicPrefix.firstCrossing(s, threshold);
      String where = "text '" + text + "' ends " + ends + " threshold " + threshold;
      assertTrue(WordBoundaries.isBoundary(text, kept), "cut " + kept + " inside a word: " + where);
      if (first < 0) {
        assertEquals(text.length(), kept, where);
      } else {
        int start = first == 0 ? 0 : ends.get(first - 1);
        assertTrue(kept <= start, "kept " + kept + " past the crossing token: " + where);
        assertTrue(kept == 0 || !Character.isWhitespace(text.charAt(kept - 1)), where);
      }
    }
  }
}
