package io.armguard.reward;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.nn.Parameter;
import ai.djl.training.GradientCollector;
import io.armguard.model.LeftPadding;
import io.armguard.model.TextTokenizer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** ARM's head algebra, its BOS/padding handling and its training contract. */
class ArmRewardModelTest {

  private static NDManager manager;
  private static TextTokenizer tokenizer;
  private static ArmRewardModel arm;

  @BeforeAll
  static void setUp() throws Exception {
    manager = NDManager.newBaseManager();
    tokenizer = RewardFixtures.tokenizer();
    arm = RewardFixtures.arm(manager, tokenizer, 5);
  }

  @AfterAll
  static void tearDown() {
    tokenizer.close();
    manager.close();
  }

  @Test
  void allVocabularyScoresEqualThePerTokenGather() {
    try (NDManager m = manager.newSubManager()) {
      NDArray h = m.randomNormal(new ai.djl.ndarray.types.Shape(3, 32));
      NDArray all = arm.head().allVocabulary(h, arm.embedding()); // [3, L, V]
      assertEquals(new ai.djl.ndarray.types.Shape(3, 2, 300), all.getShape());
      long[][] tokens = {{0, 17, 299, 150}, {5, 5, 6, 7}, {298, 1, 2, 3}};
      NDArray tok = m.create(tokens);
      // per-token scores: the same hidden state for each of the 4 tokens of a row
      NDArray hRep = h.expandDims(1).repeat(1, 4);
      NDArray gathered = arm.head().scores(hRep, tok, arm.embedding()); // [3, 4, L]
      float[] g = gathered.toFloatArray();
      float[] a = all.toFloatArray();
      for (int b = 0; b < 3; b++) {
        NDArray cand =
            arm.head()
                .candidates(
                    h.get(new NDIndex("{}:{}", b, b + 1)),
                    tok.get(new NDIndex("{}:{}", b, b + 1)),
                    arm.embedding(),
                    1);
        float[] c = cand.toFloatArray();
        for (int i = 0; i < 4; i++) {
          for (int j = 0; j < 2; j++) {
            float full = a[(b * 2 + j) * 300 + (int) tokens[b][i]];
            assertEquals(full, g[(b * 4 + i) * 2 + j], 1e-5f);
          }
          assertEquals(a[(b * 2 + 1) * 300 + (int) tokens[b][i]], c[i], 1e-5f);
        }
      }
    }
  }

  @Test
  void candidateScoresOfEveryLabelEqualThePerTokenScores() {
    try (NDManager m = manager.newSubManager()) {
      NDArray h = m.randomNormal(new ai.djl.ndarray.types.Shape(3, 32));
      NDArray tok = m.create(new long[][] {{0, 17, 299, 150}, {5, 5, 6, 7}, {298, 1, 2, 3}});
      NDArray perToken = arm.head().scores(h.expandDims(1).repeat(1, 4), tok, arm.embedding());
      NDArray candidates = arm.head().candidateScores(h, tok, arm.embedding());
      assertEquals(new ai.djl.ndarray.types.Shape(3, 4, 2), candidates.getShape());
      assertArrayEquals(perToken.toFloatArray(), candidates.toFloatArray(), 1e-5f);
    }
  }

  @Test
  void scoresDoNotDependOnPaddingSideOrBatchMates() {
    int[] x = {10, 20, 30, 40, 50};
    int[] y = {7, 8};
    float[] alone = scores(new int[][] {x}, false)[0];
    float[][] left = scores(new int[][] {x, y}, false);
    float[][] right = scores(new int[][] {y, x}, true);
    assertArrayEquals(alone, left[0], 1e-5f);
    assertArrayEquals(alone, right[1], 1e-5f);
    float[] yAlone = scores(new int[][] {y}, false)[0];
    // left-padded y: its real tokens are the last 2 columns
    float[] yLeft = java.util.Arrays.copyOfRange(left[1], (5 - 2) * 2, 5 * 2);
    float[] yRight = java.util.Arrays.copyOfRange(right[0], 0, 2 * 2);
    assertArrayEquals(yAlone, yLeft, 1e-5f);
    assertArrayEquals(yAlone, yRight, 1e-5f);
  }

  @Test
  void observedScoresAreBaselinePlusDeltaOfTheShiftedHiddenState() {
    int[] x = {3, 4, 5};
    try (NDManager m = manager.newSubManager()) {
      // the score of x_t is the all-vocabulary row of h(BOS, x_<t), read at x_t
      NDArray h =
          arm.stepHidden(
              m.create(new long[][] {{299, 3, 4}}),
              m.create(new long[][] {{0, 1, 2}}),
              m.create(new long[][] {{1, 1, 1}}),
              null);
      float[] all =
          arm.head()
              .allVocabulary(h.get(new NDIndex("0")), arm.embedding())
              .toFloatArray(); // [3, L, V]
      float[] observed = scores(new int[][] {x}, false)[0];
      for (int t = 0; t < 3; t++) {
        for (int j = 0; j < 2; j++) {
          assertEquals(all[(t * 2 + j) * 300 + x[t]], observed[t * 2 + j], 1e-5f);
        }
      }
    }
  }

  @Test
  void gradientsReachHeadAndBackboneButNotTheFrozenEmbedding() {
    try (NDManager m = manager.newSubManager();
        GradientCollector gc = Engine.getInstance().newGradientCollector()) {
      NDList in = LeftPadding.pad(new int[][] {{1, 2, 3, 4}, {9, 8}}, 0, m);
      NDArray s = arm.observedScores(in.get(0), in.get(1), true);
      NDArray other =
          arm.head()
              .delta(
                  arm.shiftedHidden(in.get(0), in.get(1), true),
                  m.randomInteger(
                      0, 300, in.get(0).getShape(), ai.djl.ndarray.types.DataType.INT64),
                  arm.embedding());
      gc.backward(s.square().mean().add(other.square().mean()));
      assertFalse(arm.trainableParameters().containsKey("wte.weight"));
      for (Parameter p : arm.trainableParameters().values()) {
        NDArray g = p.getArray().getGradient();
        assertNotNull(g, p.getName());
        if (p.getName().startsWith("arm_head") || p.getName().startsWith("ln_f")) {
          assertTrue(g.abs().sum().getFloat() > 0, p.getName() + " has a zero gradient");
        }
      }
      assertFalse(arm.backbone().namedParameters().get("wte.weight").requiresGradient());
    }
  }

  /** prefixScores of padded sequences, per row flattened [T, L]. */
  private static float[][] scores(int[][] seqs, boolean rightPad) {
    try (NDManager m = manager.newSubManager()) {
      NDList in = rightPad ? rightPadded(seqs, m) : LeftPadding.pad(seqs, 0, m);
      NDArray s = arm.prefixScores(in.get(0), in.get(1), false);
      int rows = seqs.length;
      float[] flat = s.toFloatArray();
      int per = flat.length / rows;
      float[][] out = new float[rows][];
      for (int b = 0; b < rows; b++) {
        out[b] = java.util.Arrays.copyOfRange(flat, b * per, (b + 1) * per);
      }
      return out;
    }
  }

  static NDList rightPadded(int[][] seqs, NDManager m) {
    int width = java.util.Arrays.stream(seqs).mapToInt(s -> s.length).max().orElse(0);
    long[][] ids = new long[seqs.length][width];
    long[][] mask = new long[seqs.length][width];
    for (int b = 0; b < seqs.length; b++) {
      for (int t = 0; t < seqs[b].length; t++) {
        ids[b][t] = seqs[b][t];
        mask[b][t] = 1;
      }
    }
    return new NDList(m.create(ids), m.create(mask));
  }
}
