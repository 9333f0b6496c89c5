package io.armguard.model;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.armguard.model.onnx.MiniLmFixture;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** BERT's WordPiece tokenizer.json through {@link TextTokenizer}: special ids and decoding. */
class WordPieceTokenizerTest {

  private static TextTokenizer tok;

  @BeforeAll
  static void load() throws Exception {
    tok = TextTokenizer.load(MiniLmFixture.importedDir().resolve(ModelDirectory.TOKENIZER));
  }

  @AfterAll
  static void close() {
    tok.close();
  }

  @Test
  void specialTokensAreClsSepPad() {
    assertEquals(TextTokenizer.Kind.WORD_PIECE, tok.kind());
    assertEquals(101, tok.bosId());
    assertEquals(102, tok.eosId());
    assertEquals(0, tok.padId());
    assertEquals(30522, tok.vocabSize());
    // no special tokens are added, no padding to 128, no truncation at 128
    assertEquals(2, tok.encode("hello world").length);
    assertEquals(300, tok.encode("word ".repeat(300)).length);
  }

  @Test
  void decodingJoinsPiecesAndCleansPunctuationSpacing() {
    int[] ids = tok.encode("Unbelievably, it's fine! Don't you think?");
    // "unbelievably" is several ## pieces
    assertEquals(true, ids.length > 10);
    assertEquals("unbelievably, it's fine! don't you think?", tok.decode(ids));
    int[] withSpecials = new int[ids.length + 2];
    withSpecials[0] = tok.bosId();
    System.arraycopy(ids, 0, withSpecials, 1, ids.length);
    withSpecials[withSpecials.length - 1] = tok.eosId();
    assertEquals("unbelievably, it's fine! don't you think?", tok.decode(withSpecials));
  }
}
