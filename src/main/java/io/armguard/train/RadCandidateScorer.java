package io.armguard.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import io.armguard.model.EngineThreads;
import io.armguard.model.KvCache;
import io.armguard.model.LeftPadding;
import io.armguard.reward.RadRewardModel;
import java.util.Arrays;

/**
 * A frozen RAD model's raw scores of candidate next tokens after prefixes of replies, read the way
 * RAD guidance reads them: rho(x_&lt;t · c) at c's position, the empty prefix read as BOS · c
 * (RadGuidance starts an empty reward prefix from BOS).
 *
 * <p>Why cached: P prefixes × k candidates as full sequences would be P·k passes over the prefix.
 * Here one pass over the replies (right-padded, plus one row holding BOS alone) fills a KV cache;
 * each (prefix, candidate) pair is then one extra token in a batched step of P·k rows, each row a
 * copy of its reply's cache whose attention mask shows only the prefix's columns, at the position
 * right after the prefix. Equal to the full re-score up to float summation order
 * (RadCandidateScorerTest). Inference only; the caller's thread, one call at a time.
 */
final class RadCandidateScorer {
  private final RadRewardModel rad;

  RadCandidateScorer(RadRewardModel rad) {
    this.rad = rad;
  }

  /**
   * Raw scores of the candidates.
   *
   * @param replies each reply's tokens, without BOS
   * @param prefixes P prefixes of those replies
   * @param candidates int64 [P, k]: the tokens that may follow each prefix
   * @return raw (uncalibrated) scores [P, k, L] in {@code m}
   */
  NDArray rawScores(int[][] replies, ReplyPrefix[] prefixes, NDArray candidates, NDManager m) {
    ReplyPrefix.check(replies, prefixes);
    int p = prefixes.length;
    int k = (int) candidates.getShape().get(1);
    if (candidates.getShape().get(0) != p) {
      throw new IllegalArgumentException(
          "candidates " + candidates.getShape() + " for " + p + " prefixes");
    }
    int width = 1; // the BOS row needs one column
    for (ReplyPrefix x : prefixes) {
      width = Math.max(width, x.length());
    }
    int bosRow = replies.length;
    long[][] ids = new long[bosRow + 1][width];
    long[][] mask = new long[bosRow + 1][width];
    for (int r = 0; r < bosRow; r++) {
      int n = Math.min(replies[r].length, width);
      for (int j = 0; j < n; j++) {
        ids[r][j] = replies[r][j];
        mask[r][j] = 1;
      }
    }
    ids[bosRow][0] = rad.backbone().config().bosTokenId();
    mask[bosRow][0] = 1;
    long[] source = new long[p * k];
    long[][] position = new long[p * k][1];
    long[][] stepMask = new long[p * k][width + 1];
    for (int i = 0; i < p; i++) {
      int t = prefixes[i].length();
      int row = t == 0 ? bosRow : prefixes[i].reply();
      int visible = t == 0 ? 1 : t; // cached columns the candidate attends to
      for (int j = 0; j < k; j++) {
        int q = i * k + j;
        source[q] = row;
        position[q][0] = visible; // the prefix holds positions 0 .. visible-1
        Arrays.fill(stepMask[q], 0, visible, 1L);
        stepMask[q][width] = 1L;
      }
    }
    int labels = rad.info().labelCount();
    return EngineThreads.inferenceOnly(
        () -> {
          try (KvCache cache = new KvCache(m, rad.backbone().config().layerCount())) {
            NDArray in = m.create(ids);
            NDArray inMask = m.create(mask);
            rad.backbone()
                .hidden(in, LeftPadding.positionIds(inMask), inMask, cache, false)
                .close();
            try (KvCache copies = cache.select(m.create(source))) {
              NDArray rho =
                  rad.stepScores(
                      candidates.reshape(p * (long) k, 1),
                      m.create(position),
                      m.create(stepMask),
                      copies); // [P*k, 1, L]
              return rho.reshape(new Shape(p, k, labels));
            }
          }
        });
  }
}
