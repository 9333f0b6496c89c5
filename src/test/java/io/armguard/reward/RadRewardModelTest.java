package io.armguard.reward;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.training.GradientCollector;
import io.armguard.model.LeftPadding;
import io.armguard.model.TextTokenizer;
import java.util.Arrays;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** RAD's training forward: scores [B, T, L] at every position, padding-invariant, trainable. */
class RadRewardModelTest {

  private static NDManager manager;
  private static TextTokenizer tokenizer;
  private static RadRewardModel rad;

  @BeforeAll
  static void setUp() throws Exception {
    manager = NDManager.newBaseManager();
    tokenizer = RewardFixtures.tokenizer();
    rad = RewardFixtures.rad(manager, tokenizer, 8);
  }

  @AfterAll
  static void tearDown() {
    tokenizer.close();
    manager.close();
  }

  @Test
  void scoresEveryPositionOfAPaddedBatchLikeEachSequenceAlone() {
    int[][] seqs = {{4, 5, 6, 7}, {100, 101}};
    try (NDManager m = manager.newSubManager()) {
      NDList left = LeftPadding.pad(seqs, 0, m);
      NDArray s = rad.scores(left.get(0), left.get(1), false);
      assertEquals(new Shape(2, 4, 2), s.getShape());
      float[] both = s.toFloatArray();
      NDList alone = LeftPadding.pad(new int[][] {seqs[1]}, 0, m);
      float[] single = rad.scores(alone.get(0), alone.get(1), false).toFloatArray();
      assertArrayEquals(single, Arrays.copyOfRange(both, 8 + 4, 16), 1e-5f);
      NDList right = ArmRewardModelTest.rightPadded(new int[][] {seqs[1], seqs[0]}, m);
      float[] r = rad.scores(right.get(0), right.get(1), false).toFloatArray();
      assertArrayEquals(single, Arrays.copyOfRange(r, 0, 4), 1e-5f);
    }
  }

  @Test
  void gradientsReachEveryParameter() {
    try (NDManager m = manager.newSubManager();
        GradientCollector gc = Engine.getInstance().newGradientCollector()) {
      NDList in = LeftPadding.pad(new int[][] {{1, 2, 3}, {4}}, 0, m);
      NDArray s = rad.scores(in.get(0), in.get(1), true);
      gc.backward(s.sub(1f).square().mean());
      for (Parameter p : rad.trainableParameters().values()) {
        NDArray g = p.getArray().getGradient();
        assertNotNull(g, p.getName());
        assertTrue(g.abs().sum().getFloat() > 0, p.getName() + " has a zero gradient");
      }
    }
  }
}
