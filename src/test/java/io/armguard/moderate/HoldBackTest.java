package io.armguard.moderate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.armguard.decode.GuidedEngine;
import io.armguard.decode.PrefixScores;
import io.armguard.decode.TextScoreRequest;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The release rule over whole simulated streams: texts cut into chunks at random chars (inside
 * words and tokens too), scored after every chunk as the stream processor scores them.
 */
class HoldBackTest {

  private static final float THRESHOLD = 0.5f;
  private static final List<String> CLEAN =
      List.of("the", "weather", "is", "really", "lovely,", "today.", "and", "you", "are", "kind");
  private static final List<String> TOXIC = List.of("idiot", "stupid");

  /** What one simulated stream released. */
  private record Run(String received, String released, HoldBack.Flag flag, boolean complete) {}

  private static Run stream(GuidedEngine engine, List<String> chunks, int holdback) {
    StringBuilder received = new StringBuilder();
    int released = 0;
    for (int i = 0; i < chunks.size(); i++) {
      received.append(chunks.get(i));
      String text = received.toString();
      boolean complete = i == chunks.size() - 1;
      PrefixScores s = engine.scorePrefixes(List.of(new TextScoreRequest("", text))).get(0);
      HoldBack.Step step = HoldBack.assess(text, s, released, complete, THRESHOLD, holdback);
      assertTrue(step.releaseTo() >= released, "released text is never retracted");
      assertTrue(step.releaseTo() <= text.length());
      assertTrue(
          step.releaseTo() == 0
              || step.complete()
              || (step.releaseTo() < text.length()
                  && WordBoundaries.isBoundary(text, step.releaseTo())),
          "released up to a word boundary whose next char is known: " + step.releaseTo());
      released = step.releaseTo();
      if (step.flag() != null) {
        return new Run(text, text.substring(0, released), step.flag(), false);
      }
      if (step.complete()) {
        return new Run(text, text.substring(0, released), null, true);
      }
    }
    throw new AssertionError("a complete stream ends with a release or a flag");
  }

  private static List<String> chunked(String text, Random rnd) {
    List<String> out = new ArrayList<>();
    int at = 0;
    while (at < text.length()) {
      int n = 1 + rnd.nextInt(7);
      out.add(text.substring(at, Math.min(text.length(), at + n)));
      at += n;
    }
    return out;
  }

  private static String reply(Random rnd, boolean toxic) {
    List<String> words = new ArrayList<>();
    int n = 4 + rnd.nextInt(12);
    for (int i = 0; i < n; i++) {
      words.add(CLEAN.get(rnd.nextInt(CLEAN.size())));
    }
    if (toxic) {
      words.add(rnd.nextInt(words.size() + 1), TOXIC.get(rnd.nextInt(TOXIC.size())));
    }
    return String.join(" ", words);
  }

  @Test
  void releasedTextIsAPrefixWithoutAFlaggedTokenForAnyChunkingAndHoldback() {
    Random rnd = new Random(17);
    for (GuidedEngine engine : List.of(new WordListEngine(), new PieceEngine())) {
      for (int trial = 0; trial < 400; trial++) {
        boolean toxic = trial % 2 == 1;
        String text = reply(rnd, toxic);
        int holdback = rnd.nextInt(5);
        Run run = stream(engine, chunked(text, rnd), holdback);
        String label = engine.getClass().getSimpleName() + " h=" + holdback + " '" + text + "'";
        assertTrue(text.startsWith(run.released()), label);
        // the whole received text's scores: no token inside the released text reaches the threshold
        PrefixScores whole =
            engine.scorePrefixes(List.of(new TextScoreRequest("", run.received()))).get(0);
        for (int t = 0; t < whole.steering().length; t++) {
          if (whole.tokenEndChars()[t] <= run.released().length()) {
            assertTrue(whole.steering()[t] < THRESHOLD, label + " released a flagged token");
          }
        }
        if (toxic) {
          assertNotNull(run.flag(), label);
          for (String w : TOXIC) {
            assertFalse(run.released().contains(w), label);
          }
          assertEquals(run.released().length(), run.flag().cut(), label);
          assertTrue(run.flag().spanStart() >= run.flag().cut(), label);
        } else {
          assertNull(run.flag(), label);
          assertTrue(run.complete(), label);
          assertEquals(text, run.released(), label);
        }
      }
    }
  }

  @Test
  void holdsBackTheConfiguredNumberOfTokensAtAWordBoundary() {
    WordListEngine engine = new WordListEngine();
    String text = "one two three four five six";
    PrefixScores s = engine.scorePrefixes(List.of(new TextScoreRequest("", text))).get(0);
    // six tokens; 2 behind the newest ends with "four"
    assertEquals(18, HoldBack.assess(text, s, 0, false, THRESHOLD, 2).releaseTo());
    // 0 behind: everything but the last word, whose end is not known yet
    assertEquals(23, HoldBack.assess(text, s, 0, false, THRESHOLD, 0).releaseTo());
    // more hold-back than tokens: nothing
    assertEquals(0, HoldBack.assess(text, s, 0, false, THRESHOLD, 6).releaseTo());
    // the final chunk releases the rest
    HoldBack.Step all = HoldBack.assess(text, s, 18, true, THRESHOLD, 2);
    assertTrue(all.complete());
    assertEquals(text.length(), all.releaseTo());
  }

  @Test
  void aFlagCutsBeforeTheFlaggedWordAndNamesItsSpanOnceTheWordHasEnded() {
    WordListEngine engine = new WordListEngine();
    String open = "well, you are an idiot";
    PrefixScores s = engine.scorePrefixes(List.of(new TextScoreRequest("", open))).get(0);
    // the flagged word may still go on: no flag yet, and none of it is released
    HoldBack.Step step = HoldBack.assess(open, s, 0, false, THRESHOLD, 8);
    assertEquals(null, step.flag(), "decided once the word has ended");
    assertEquals(0, step.releaseTo(), "8 tokens of hold-back: nothing yet");
    HoldBack.Step noHoldBack = HoldBack.assess(open, s, 0, false, THRESHOLD, 0);
    assertEquals(null, noHoldBack.flag());
    assertEquals(16, noHoldBack.releaseTo(), "the clean words before it, not the open word");
    String more = open + " and";
    PrefixScores s2 = engine.scorePrefixes(List.of(new TextScoreRequest("", more))).get(0);
    assertEquals(
        new HoldBack.Flag(16, 5, 17, 22), HoldBack.assess(more, s2, 0, false, THRESHOLD, 8).flag());
    // what is out bounds the rewrite's start: the clause start 5 lies before it
    assertEquals(
        new HoldBack.Flag(16, 16, 17, 22),
        HoldBack.assess(more, s2, 16, false, THRESHOLD, 8).flag());
  }

  @Test
  void aPartialWordThatScoresAtTheThresholdIsNotActedOnIfTheWordTurnsOutClean() {
    WordListEngine engine = new WordListEngine();
    String partial = "well, you are idiot"; // a chunk boundary inside "idiots"
    PrefixScores s = engine.scorePrefixes(List.of(new TextScoreRequest("", partial))).get(0);
    assertTrue(s.finalScore() >= THRESHOLD, "the partial word scores at the threshold");
    assertEquals(null, HoldBack.assess(partial, s, 0, false, THRESHOLD, 0).flag());
    String whole = "well, you are idiots.";
    PrefixScores s2 = engine.scorePrefixes(List.of(new TextScoreRequest("", whole))).get(0);
    HoldBack.Step end = HoldBack.assess(whole, s2, 9, true, THRESHOLD, 0);
    assertEquals(null, end.flag(), "the word it became is clean");
    assertTrue(end.complete());
  }
}
