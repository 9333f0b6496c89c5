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

  /** jtokkit's own r50k_base BPE (a tiktoken port) is an independent reference for every id. */
  @Test
  void matchesJtokkitsR50kEncoderOnVariedTexts() {
    com.knuddels.jtokkit.api.Encoding reference =
        com.knuddels.jtokkit.Encodings.newDefaultEncodingRegistry()
            .getEncoding(com.knuddels.jtokkit.api.EncodingType.R50K_BASE);
    java.util.List<String> texts =
        new java.util.ArrayList<>(
            java.util.List.of(
                "I'm sure you'll see they've done it; we'd LOVE it!!",
                "  leading spaces,\ttabs\n\nand newlines   \n",
                "naïve café, Zürich, São Paulo, Ærøskøbing",
                "東京タワー と 大阪城 😀🙂👍🏽 Привет мир",
                "https://example.com/path?q=1&r=two#frag int main() { return 0; }",
                "1234567890 3.14159 -42 1e-9 $100,000.00",
                "The quick brown fox jumps over the lazy dog. " + "Supercalifragilistic"));
    java.util.Random r = new java.util.Random(42);
    String alphabet =
        "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789 .,;:'\"!?-\n\té";
    for (int i = 0; i < 200; i++) {
      StringBuilder sb = new StringBuilder();
      int n = 1 + r.nextInt(60);
      for (int j = 0; j < n; j++) {
        sb.append(alphabet.charAt(r.nextInt(alphabet.length())));
      }
      texts.add(sb.toString());
    }
    for (String text : texts) {
      int[] expected = reference.encodeOrdinary(text).toArray();
      assertArrayEquals(expected, full.encode(text), text);
    }
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
