package io.armguard.decode;

import static org.junit.jupiter.api.Assertions.assertEquals;

import ai.djl.ndarray.NDManager;
import io.armguard.model.TextTokenizer;
import io.armguard.reward.RewardFixtures;
import io.armguard.reward.RewardModel;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * ARM and RAD guidance driven step by step: the cached, batched scores (RAD: batch*k rows against k
 * KV-cache copies; ARM: one step per token) equal naive uncached scoring of prefix + candidate, for
 * left-padded prompts of unequal length, across steps and after rows are dropped.
 */
class RewardGuidanceTest {

  private static NDManager manager;
  private static TextTokenizer tokenizer;
  private static final int[][] PROMPTS = {{5, 6, 7, 8, 9}, {11, 12}, {40}};

  @BeforeAll
  static void setUp() throws Exception {
    manager = NDManager.newBaseManager();
    tokenizer = RewardFixtures.tokenizer();
  }

  @AfterAll
  static void tearDown() {
    tokenizer.close();
    manager.close();
  }

  @Test
  void radBatchedScoresWithCacheCopiesEqualNaiveScoring() {
    checkAgainstNaive(RewardFixtures.rad(manager, tokenizer, 11));
  }

  @Test
  void armCachedStepScoresEqualNaiveScoring() {
    checkAgainstNaive(RewardFixtures.arm(manager, tokenizer, 12));
  }

  @Test
  void armStartsFromItsOwnPrefixEvenAnEmptyOne() {
    // A reply-only reward model: a fresh reply's state is BOS alone, whatever the LM's prompt is.
    checkAgainstNaive(
        RewardFixtures.arm(manager, tokenizer, 13), new int[][] {{5, 6, 7, 8, 9}, {}, {40}});
  }

  private static void checkAgainstNaive(RewardModel rm) {
    checkAgainstNaive(rm, PROMPTS);
  }

  /** Three steps of k=4 candidates; after step 2 row 1 is dropped (retainRows). */
  private static void checkAgainstNaive(RewardModel rm, int[][] prefixes) {
    List<DecodeRequest> requests =
        List.of(request("a"), request("b"), request("c")); // budgets are not used here
    long[][][] candidates = {
      {{1, 2, 3, 4}, {4, 5, 6, 7}, {9, 9, 8, 299}},
      {{10, 11, 12, 13}, {14, 15, 16, 17}, {18, 19, 20, 21}},
      {{30, 31, 32, 33}, {0, 0, 0, 0}, {34, 35, 36, 37}},
    };
    long[][] chosenIndex = {{2, 0, 3}, {1, 3, 0}};
    int[][] history = {prefixes[0].clone(), prefixes[1].clone(), prefixes[2].clone()};
    int[] live = {0, 1, 2};
    try (NDManager batch = manager.newSubManager();
        Guidance g = new RewardGuidanceProvider(rm).open(requests, batch)) {
      g.start(prefixes, batch);
      for (int s = 0; s < 3; s++) {
        try (NDManager step = batch.newSubManager()) {
          long[][] c = new long[live.length][];
          for (int i = 0; i < live.length; i++) {
            c[i] = candidates[s][live[i]];
          }
          float[] r = g.score(step.create(c), step).toFloatArray();
          for (int i = 0; i < live.length; i++) {
            for (int j = 0; j < 4; j++) {
              float expected = RewardFixtures.naiveScore(rm, history[live[i]], (int) c[i][j]);
              assertEquals(expected, r[i * 4 + j], 2e-5f, "step " + s + " row " + live[i]);
            }
          }
          if (s == 2) {
            break;
          }
          long[] idx = new long[live.length];
          long[] ids = new long[live.length];
          for (int i = 0; i < live.length; i++) {
            idx[i] = chosenIndex[s][live[i]];
            ids[i] = c[i][(int) idx[i]];
            history[live[i]] = append(history[live[i]], (int) ids[i]);
          }
          g.advance(step.create(ids), step.create(idx), step);
          if (s == 1) {
            g.retainRows(step.create(new long[] {0, 2}), step);
            live = new int[] {0, 2};
          }
        }
      }
    }
  }

  static int[] append(int[] a, int x) {
    int[] out = java.util.Arrays.copyOf(a, a.length + 1);
    out[a.length] = x;
    return out;
  }

  private static DecodeRequest request(String id) {
    return new DecodeRequest(
        id, "p", 8, 4, 1f, 1, Strategy.RAD, 1f, SteeringDirection.AWAY_FROM_LABEL);
  }
}
