package io.armguard.decode;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class SentenceCaseTest {
  @Test
  void capitalisesSentenceStartsAndThePronounOnly() {
    assertEquals(
        "Sure, I can help. I'm here! Is it ok? Yes.",
        SentenceCase.restore("", "sure, i can help. i'm here! is it ok? yes."));
    assertEquals(
        "the rest of it, i.e. this", SentenceCase.restore("Here is", "the rest of it, i.e. this"));
    assertEquals("Thanks.", SentenceCase.restore("What is it?", "thanks."));
    assertEquals("\"Good\" was it.", SentenceCase.restore("Done.\n", "\"good\" was it."));
    assertEquals("i.e. ok", SentenceCase.restore("see", "i.e. ok"));
    assertEquals("", SentenceCase.restore("", ""));
  }
}
