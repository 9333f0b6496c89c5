package io.armguard.train;

import static org.junit.jupiter.api.Assertions.assertEquals;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import io.armguard.model.BackboneConfig;
import io.armguard.model.BertConfig;
import io.armguard.model.LeftPadding;
import io.armguard.reward.RadRewardModel;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

/**
 * The teacher's cached candidate scores (one pass over the replies, then one token per candidate
 * attending to its prefix's columns) equal a full re-score of prefix + candidate, the empty prefix
 * read as BOS + candidate as RAD guidance reads it: on GPT-2 and on a causal BERT.
 */
class RadCandidateScorerTest {
  private static final int[][] REPLIES = {{5, 17, 42, 7, 99, 3}, {250, 8}, {11, 12, 13, 14}};
  // prefixes of every length class: empty, inside, the whole reply, two of one reply
  private static final ReplyPrefix[] PREFIXES = {
    new ReplyPrefix(0, 0),
    new ReplyPrefix(0, 4),
    new ReplyPrefix(1, 2),
    new ReplyPrefix(2, 1),
    new ReplyPrefix(2, 3),
    new ReplyPrefix(1, 0)
  };
  private static final long[][] CANDIDATES = {
    {1, 2, 3}, {299, 0, 42}, {8, 8, 9}, {13, 100, 7}, {14, 15, 16}, {250, 251, 3}
  };

  @Test
  void cachedScoresEqualAFullRescoreOnGpt() {
    assertCachedEqualsFull(DistillationFixtures.config(), 101);
  }

  @Test
  void cachedScoresEqualAFullRescoreOnACausalBert() {
    assertCachedEqualsFull(
        new BertConfig(300, 32, 2, 4, 64, 64, 2, 1e-12f, "gelu", 0, 101, 102, true), 101);
  }

  private static void assertCachedEqualsFull(BackboneConfig config, int seed) {
    try (NDManager m = NDManager.newBaseManager()) {
      RadRewardModel rad = DistillationFixtures.teacher(config, null, m, seed, 20f);
      float[] cached =
          new RadCandidateScorer(rad)
              .rawScores(REPLIES, PREFIXES, m.create(CANDIDATES), m)
              .toFloatArray();
      int k = CANDIDATES[0].length;
      int labels = DistillationFixtures.LABELS.size();
      for (int i = 0; i < PREFIXES.length; i++) {
        ReplyPrefix p = PREFIXES[i];
        int[] prefix =
            p.length() == 0
                ? new int[] {config.bosTokenId()}
                : Arrays.copyOf(REPLIES[p.reply()], p.length());
        for (int j = 0; j < k; j++) {
          float[] full = fullScore(rad, prefix, (int) CANDIDATES[i][j], m);
          for (int l = 0; l < labels; l++) {
            assertEquals(
                full[l], cached[(i * k + j) * labels + l], 1e-4f, p + " candidate " + j + " " + l);
          }
        }
      }
    }
  }

  /** Raw scores [L] of prefix + candidate at the candidate's position, one unpadded pass. */
  private static float[] fullScore(RadRewardModel rad, int[] prefix, int candidate, NDManager m) {
    int[] seq = Arrays.copyOf(prefix, prefix.length + 1);
    seq[prefix.length] = candidate;
    try (NDManager s = m.newSubManager()) {
      NDList in = LeftPadding.pad(new int[][] {seq}, 0, s);
      NDArray scores = rad.scores(in.get(0), in.get(1), false);
      int labels = (int) scores.getShape().get(2);
      return Arrays.copyOfRange(
          scores.toFloatArray(), (seq.length - 1) * labels, seq.length * labels);
    }
  }
}
