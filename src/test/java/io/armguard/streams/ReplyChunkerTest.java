package io.armguard.streams;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.armguard.schema.ReplyChunk;
import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

class ReplyChunkerTest {

  @Test
  void tokensConcatenateToTheTextAndSplitLongWords() {
    String text = "  Basil likes warmth,\nso put it\tin the sun.  ";
    List<String> tokens = ReplyChunker.tokens(text);
    assertEquals(text, String.join("", tokens));
    assertEquals(List.of("  Basi", "l", " like", "s", " warm", "th,"), tokens.subList(0, 6));
    for (String t : tokens) {
      assertTrue(t.strip().length() <= ReplyChunker.MAX_TOKEN_CHARS, t);
    }
    assertEquals(List.of(), ReplyChunker.tokens(""));
  }

  @Test
  void chunksCarryTheirSeqThePromptFirstAndFinalLast() {
    List<ReplyChunk> chunks = ReplyChunker.chunks("s", "Hi?", "one two three four five", 2, 7L);
    assertEquals(
        "one two three four five",
        chunks.stream().map(ReplyChunk::getText).collect(Collectors.joining()));
    for (int i = 0; i < chunks.size(); i++) {
      assertEquals(i, chunks.get(i).getSeq());
      assertEquals(i == chunks.size() - 1, chunks.get(i).getFinal$());
      assertEquals("s", chunks.get(i).getStreamId());
    }
    assertEquals("Hi?", chunks.get(0).getPrompt());
    assertNull(chunks.get(1).getPrompt());
    assertEquals(List.of("one two", " three", " four five"), texts(chunks));
  }

  @Test
  void anEmptyReplyIsOneEmptyFinalChunk() {
    List<ReplyChunk> chunks = ReplyChunker.chunks("s", "", "", 3, 0L);
    assertEquals(1, chunks.size());
    assertTrue(chunks.get(0).getFinal$());
    assertEquals("", chunks.get(0).getText());
    assertFalse(chunks.get(0).getPrompt() == null);
  }

  @Test
  void rejectsAChunkOfNoTokens() {
    assertThrows(IllegalArgumentException.class, () -> ReplyChunker.chunks("s", "", "x", 0, 0L));
  }

  private static List<String> texts(List<ReplyChunk> chunks) {
    return chunks.stream().map(ReplyChunk::getText).toList();
  }
}
