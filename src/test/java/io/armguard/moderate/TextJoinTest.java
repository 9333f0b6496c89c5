package io.armguard.moderate;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class TextJoinTest {

  @Test
  void wordsRunTogetherOnlyWhereTheTokenizerLeftNoSpace() {
    assertEquals("loud, and calm", TextJoin.words("loud,", " and calm")); // BPE: leading space
    assertEquals("loud, and calm", TextJoin.words("loud,", "and calm")); // WordPiece: none
    assertEquals("loud.", TextJoin.words("loud", "."));
    assertEquals("hi", TextJoin.words("", " hi")); // a whole new reply has no leading space
    assertEquals("ok", TextJoin.words("ok", ""));
  }

  @Test
  void thePromptAndTheKeptReplyAreSeparated() {
    assertEquals("Why? Because", TextJoin.promptAndReply("Why?", "Because"));
    assertEquals("Why?\nBecause", TextJoin.promptAndReply("Why?\n", "Because"));
    assertEquals("Why?", TextJoin.promptAndReply("Why?", ""));
  }
}
