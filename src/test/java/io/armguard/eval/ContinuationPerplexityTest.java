package io.armguard.eval;

import static org.junit.jupiter.api.Assertions.assertEquals;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import io.armguard.model.CausalLm;
import io.armguard.model.GptBackbone;
import io.armguard.model.GptConfig;
import org.junit.jupiter.api.Test;

/** The batched, left-padded NLL equals a plain per-sequence computation by hand. */
class ContinuationPerplexityTest {

  @Test
  void batchedNllEqualsHandComputation() {
    try (NDManager manager = NDManager.newBaseManager()) {
      GptConfig config = GptConfig.of(50, 32, 16, 1, 2);
      CausalLm lm = new CausalLm(GptBackbone.randomlyInitialized(config, manager, 7));
      int[][] prompts = {{1, 2, 3}, {4}};
      int[][] continuations = {{5, 6}, {7, 8, 9}};
      double[] batched = new ContinuationPerplexity(lm, manager).nll(prompts, continuations);

      double hand = 0;
      for (int b = 0; b < 2; b++) {
        int[] seq = new int[prompts[b].length + continuations[b].length];
        System.arraycopy(prompts[b], 0, seq, 0, prompts[b].length);
        System.arraycopy(continuations[b], 0, seq, prompts[b].length, continuations[b].length);
        long[][] ids = {java.util.Arrays.stream(seq).asLongStream().toArray()};
        long[][] pos = {java.util.stream.LongStream.range(0, seq.length).toArray()};
        long[][] mask = {java.util.stream.LongStream.generate(() -> 1).limit(seq.length).toArray()};
        NDArray hidden =
            lm.backbone()
                .hidden(
                    manager.create(ids), manager.create(pos), manager.create(mask), null, false);
        float[] logits = lm.logits(hidden).toFloatArray();
        for (int p = prompts[b].length; p < seq.length; p++) {
          int row = p - 1;
          double max = Double.NEGATIVE_INFINITY;
          for (int v = 0; v < 50; v++) {
            max = Math.max(max, logits[row * 50 + v]);
          }
          double z = 0;
          for (int v = 0; v < 50; v++) {
            z += Math.exp(logits[row * 50 + v] - max);
          }
          hand -= logits[row * 50 + seq[p]] - max - Math.log(z);
        }
      }
      assertEquals(5, batched[1], "continuation tokens scored");
      assertEquals(hand, batched[0], 1e-4);
    }
  }
}
