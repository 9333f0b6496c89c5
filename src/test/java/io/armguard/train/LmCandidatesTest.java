package io.armguard.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import ai.djl.ndarray.NDManager;
import io.armguard.model.CausalLm;
import io.armguard.model.TinyModels;
import java.util.Arrays;
import java.util.Comparator;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/** The LM's candidates: the top k of its logits after BOS + prefix, most likely first. */
class LmCandidatesTest {

  @Test
  void candidatesAreTheTopKOfTheNextTokenLogitsAfterBosAndThePrefix() {
    int[][] replies = {{5, 17, 42, 7}, {250}, {11, 12, 13}};
    ReplyPrefix[] prefixes = {
      new ReplyPrefix(0, 0), new ReplyPrefix(0, 3), new ReplyPrefix(1, 1), new ReplyPrefix(2, 2)
    };
    int k = 5;
    try (NDManager m = NDManager.newBaseManager()) {
      CausalLm lm = DistillationFixtures.lm(DistillationFixtures.config(), m, 9);
      long[] top = new LmCandidates(lm, k).topK(replies, prefixes, m).toLongArray();
      int bos = lm.config().bosTokenId();
      for (int i = 0; i < prefixes.length; i++) {
        ReplyPrefix p = prefixes[i];
        int[] context = new int[p.length() + 1];
        context[0] = bos;
        System.arraycopy(replies[p.reply()], 0, context, 1, p.length());
        float[] logits = TinyModels.nextLogits(lm, context, m);
        long[] expected =
            IntStream.range(0, logits.length)
                .boxed()
                .sorted(Comparator.comparingDouble(v -> -logits[v]))
                .limit(k)
                .mapToLong(Integer::longValue)
                .toArray();
        assertArrayEquals(expected, Arrays.copyOfRange(top, i * k, (i + 1) * k), p.toString());
      }
    }
  }

  @Test
  void moreCandidatesThanTheVocabularyAreRefused() {
    try (NDManager m = NDManager.newBaseManager()) {
      CausalLm lm = DistillationFixtures.lm(DistillationFixtures.config(), m, 9);
      assertThrows(IllegalArgumentException.class, () -> new LmCandidates(lm, 301));
    }
  }
}
