package io.armguard.eval;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import io.armguard.model.CausalLm;
import io.armguard.model.LeftPadding;

/**
 * Conditional perplexity of continuations given their prompts under a causal LM, teacher-forced:
 * the mean negative log-likelihood of the continuation tokens only, as the papers report fluency.
 * One forward pass per batch of (prompt, continuation) pairs.
 */
public final class ContinuationPerplexity {

  private final CausalLm lm;
  private final NDManager parent;

  public ContinuationPerplexity(CausalLm lm, NDManager parent) {
    this.lm = lm;
    this.parent = parent;
  }

  /**
   * Summed NLL (nats) and token count of every continuation; a pair with an empty continuation
   * contributes nothing. Sequences longer than the context keep their last n_positions tokens.
   *
   * @return {sum of NLL, number of scored tokens}
   */
  public double[] nll(int[][] prompts, int[][] continuations) {
    int context = lm.config().maxPositions();
    int[][] seqs = new int[prompts.length][];
    int[] promptLen = new int[prompts.length];
    for (int i = 0; i < prompts.length; i++) {
      int[] s = new int[prompts[i].length + continuations[i].length];
      System.arraycopy(prompts[i], 0, s, 0, prompts[i].length);
      System.arraycopy(continuations[i], 0, s, prompts[i].length, continuations[i].length);
      int cut = Math.max(0, s.length - context);
      seqs[i] = java.util.Arrays.copyOfRange(s, cut, s.length);
      promptLen[i] = Math.max(1, prompts[i].length - cut);
    }
    double sum = 0;
    long count = 0;
    try (NDManager m = parent.newSubManager()) {
      NDList padded = LeftPadding.pad(seqs, 0, m);
      NDArray hidden =
          lm.backbone().hidden(padded.get(0), padded.get(2), padded.get(1), null, false);
      NDArray logp = lm.logits(hidden).logSoftmax(-1);
      int width = (int) padded.get(0).getShape().get(1);
      int vocab = (int) logp.getShape().get(2);
      float[] flat = logp.toFloatArray();
      for (int b = 0; b < seqs.length; b++) {
        int offset = width - seqs[b].length;
        // token at position p (p >= promptLen) is predicted from position p - 1
        for (int p = promptLen[b]; p < seqs[b].length; p++) {
          int row = b * width + offset + p - 1;
          sum -= flat[row * vocab + seqs[b][p]];
          count++;
        }
      }
    }
    return new double[] {sum, count};
  }
}
