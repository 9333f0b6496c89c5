package io.armguard.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ProfanityLexiconTest {
  private final ProfanityLexicon lexicon =
      ProfanityLexicon.of(List.of("fuck", "shit", "ass", "asses", "butt", "arse bandit"));

  @Test
  void resolvesLeetspeakSeparatorsAndSpelledOutLetters() {
    assertTrue(lexicon.matches("what the F.U.C.K is this"));
    assertTrue(lexicon.matches("f u c k that"));
    assertTrue(lexicon.matches("this is $h!t"));
    assertTrue(lexicon.matches("5H1T happens"));
    assertTrue(lexicon.matches("f-u-c-k"));
    assertTrue(lexicon.matches("Fück"));
  }

  @Test
  void collapsesOnlyDeliberatelyRepeatedLetters() {
    assertTrue(lexicon.matches("fuuuuuck"));
    assertTrue(lexicon.matches("what an asssss"));
    assertTrue(lexicon.matches("nice buttt"));
    assertFalse(lexicon.matches("we need to assess the risk"), "assess is not asses");
    assertFalse(lexicon.matches("but why"), "but is not butt");
    assertFalse(lexicon.matches("as good as it gets"));
  }

  @Test
  void trailingPunctuationIsNotLeetspeak() {
    assertTrue(lexicon.matches("oh shit!"));
    assertTrue(lexicon.matches("Shit, really?"));
    assertEquals("shit", ProfanityLexicon.normalizeWord("shit!!!"));
    assertEquals("", ProfanityLexicon.normalizeWord("2024"));
  }

  @Test
  void wholeWordsOnlyAndMultiWordTerms() {
    assertFalse(lexicon.matches("Scunthorpe and classic grass"));
    assertTrue(lexicon.matches("he is an arse  bandit"));
    assertEquals(List.of("shit", "ass"), lexicon.find("shit, you ass"));
  }

  @Test
  void ratingsAreFilteredBySurenessAndInnocentLookAlikes() {
    ProfanityLexicon severe =
        ProfanityLexicon.fromRatings(Map.of("fuck", 2, "anal", 1, "chunky", 2, "brea5t", 2), 2);
    assertTrue(severe.matches("fuck"));
    assertFalse(severe.matches("anal"));
    assertFalse(severe.matches("a chunky soup"));
    assertFalse(severe.matches("chicken breast"), "brea5t normalises to an innocent word");
  }
}
