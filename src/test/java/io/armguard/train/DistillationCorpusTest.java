package io.armguard.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import io.armguard.model.TextTokenizer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DistillationCorpusTest {
  @TempDir Path tmp;

  private static TextTokenizer tokenizer() throws java.io.IOException {
    return TextTokenizer.gpt2(50);
  }

  @Test
  void drawsDependOnSeedAndStepOnlyAndAlternateBetweenFiles() throws Exception {
    Path clean = tmp.resolve("clean.txt");
    Files.writeString(clean, "a b\n\nb a\n");
    Path toxic = tmp.resolve("toxic.jsonl");
    Files.writeString(toxic, "{\"text\":\"c d c\",\"label\":1}\n");
    DistillationCorpus corpus = DistillationCorpus.load(List.of(clean, toxic), tokenizer(), 2, 0);
    assertEquals(List.of(2, 1), corpus.sizes(), "blank lines skipped");
    try (NDManager m = NDManager.newBaseManager()) {
      NDList one = corpus.batch(7, 3, 4, m);
      NDList again = corpus.batch(7, 3, 4, m);
      assertArrayEquals(one.get(0).toLongArray(), again.get(0).toLongArray());
      assertEquals(4, one.get(0).getShape().get(0));
      assertTrue(one.get(0).getShape().get(1) <= 2, "cut to maxTokens");
      long[] mask = one.get(1).toLongArray();
      int width = (int) one.get(0).getShape().get(1);
      // rows 1 and 3 come from the one-text toxic file, so they are equal
      long[] ids = one.get(0).toLongArray();
      for (int j = 0; j < width; j++) {
        assertEquals(ids[width + j], ids[3 * width + j]);
        assertEquals(1, mask[width + j]);
      }
      Set<String> draws = new HashSet<>();
      for (long step = 1; step <= 20; step++) {
        draws.add(java.util.Arrays.toString(corpus.batch(7, step, 4, m).get(0).toLongArray()));
      }
      assertTrue(draws.size() > 1, "steps draw different texts");
    }
  }

  @Test
  void refusesMissingEmptyAndMalformedFilesNamingThem() throws Exception {
    TextTokenizer tok = tokenizer();
    Path missing = tmp.resolve("nope.txt");
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () -> DistillationCorpus.load(List.of(missing), tok, 8, 0));
    assertTrue(e.getMessage().contains("nope.txt"), e.getMessage());
    Path empty = tmp.resolve("empty.txt");
    Files.writeString(empty, "\n  \n");
    e =
        assertThrows(
            IllegalArgumentException.class,
            () -> DistillationCorpus.load(List.of(empty), tok, 8, 0));
    assertTrue(e.getMessage().contains("holds no text"), e.getMessage());
    Path bad = tmp.resolve("bad.jsonl");
    Files.writeString(bad, "{\"text\":\"ok\"}\n{\"label\":1}\n");
    e =
        assertThrows(
            IllegalArgumentException.class, () -> DistillationCorpus.load(List.of(bad), tok, 8, 0));
    assertTrue(e.getMessage().contains("line 2"), e.getMessage());
    assertFalse(
        assertThrows(
                IllegalArgumentException.class, () -> DistillationCorpus.load(List.of(), tok, 8, 0))
            .getMessage()
            .isEmpty());
  }
}
