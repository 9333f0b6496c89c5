package io.armguard.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class Gpt2TokenizerBuilderTest {

  private static TextTokenizer full;

  @BeforeAll
  static void build() throws Exception {
    full = TextTokenizer.gpt2(Gpt2TokenizerBuilder.FULL_MERGES);
  }

  @AfterAll
  static void close() {
    full.close();
  }

  @Test
  void fullVocabularyGivesGpt2Ids() {
    assertArrayEquals(
        new int[] {15496, 995, 11, 428, 318, 257, 1332, 13},
        full.encode("Hello world, this is a test."));
    assertEquals(50257, full.vocabSize());
    assertEquals(50256, full.eosId());
  }

  @Test
  void decodesBackAndKeepsUnicodeAndWhitespace() {
    String text = "  Tabs\tand\nnewlines, naïve café 東京 🙂 don't stop";
    assertEquals(text, full.decode(full.encode(text)));
  }

  @Test
  void doesNotTruncateLongTexts() {
    String text = " word".repeat(1500);
    assertEquals(1500, full.encode(text).length);
  }

  @Test
  void endOffsetsPointAtTokenEnds() {
    TextTokenizer.Encoded e = full.encodeWithOffsets("Hello world, this");
    assertArrayEquals(new int[] {5, 11, 12, 17}, e.endChars());
  }

  @Test
  void cutVocabularyKeepsBytesAndFirstMerges() throws Exception {
    try (TextTokenizer small = TextTokenizer.gpt2(500)) {
      assertEquals(757, small.vocabSize());
      assertEquals(756, small.eosId());
      String text = "Hello world, this is a test of a small vocabulary ü.";
      int[] ids = small.encode(text);
      assertTrue(Arrays.stream(ids).allMatch(id -> id < 756));
      assertTrue(ids.length > 8, "fewer merges, more tokens");
      assertEquals(text, small.decode(ids));
      assertFalse(small.sameVocabulary(full));
      try (TextTokenizer again = TextTokenizer.fromJson(small.json())) {
        assertTrue(small.sameVocabulary(again));
      }
    }
  }
}
