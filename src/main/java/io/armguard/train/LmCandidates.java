package io.armguard.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import io.armguard.model.CausalLm;
import io.armguard.model.EngineThreads;
import io.armguard.model.LeftPadding;

/**
 * The language model's top-k next tokens after prefixes of replies, as the guided decoder draws its
 * candidates: the k largest logits, most likely first, nothing excluded. The LM reads BOS · prefix
 * (the reply alone, as the reward models do). One forward over the replies serves every prefix.
 * Inference only; the caller's thread, one call at a time.
 */
final class LmCandidates {
  private final CausalLm lm;
  private final int k;

  /**
   * @param lm a causal LM (its weights are only read)
   * @param k candidates per prefix, 1 .. the vocabulary
   */
  LmCandidates(CausalLm lm, int k) {
    if (k < 1 || k > lm.config().vocabSize()) {
      throw new IllegalArgumentException(
          "k must be in 1.." + lm.config().vocabSize() + " (the LM's vocabulary): " + k);
    }
    this.lm = lm;
    this.k = k;
  }

  /**
   * @param replies each reply's tokens, without BOS
   * @param prefixes P prefixes of those replies
   * @return int64 [P, k] candidate ids in {@code m}
   */
  NDArray topK(int[][] replies, ReplyPrefix[] prefixes, NDManager m) {
    ReplyPrefix.check(replies, prefixes);
    int width = 1;
    for (ReplyPrefix p : prefixes) {
      width = Math.max(width, p.length() + 1); // BOS + the prefix
    }
    long[][] ids = new long[replies.length][width];
    long[][] mask = new long[replies.length][width];
    for (int r = 0; r < replies.length; r++) {
      ids[r][0] = lm.config().bosTokenId();
      mask[r][0] = 1;
      int n = Math.min(replies[r].length, width - 1);
      for (int j = 0; j < n; j++) {
        ids[r][j + 1] = replies[r][j];
        mask[r][j + 1] = 1;
      }
    }
    long[] rows = new long[prefixes.length];
    for (int i = 0; i < prefixes.length; i++) {
      // the hidden state at BOS · x_<t is column t of its (right-padded) row
      rows[i] = (long) prefixes[i].reply() * width + prefixes[i].length();
    }
    int columns = width;
    return EngineThreads.inferenceOnly(
        () -> {
          NDArray in = m.create(ids);
          NDArray inMask = m.create(mask);
          NDArray h =
              lm.backbone().hidden(in, LeftPadding.positionIds(inMask), inMask, null, false);
          NDArray picked =
              h.reshape(replies.length * (long) columns, -1).get(new NDIndex("{}", m.create(rows)));
          return lm.logits(picked).topK(k, -1, true, true).get(1);
        });
  }
}
