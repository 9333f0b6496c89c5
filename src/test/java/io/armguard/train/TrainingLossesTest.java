package io.armguard.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import org.junit.jupiter.api.Test;

class TrainingLossesTest {

  @Test
  void cumulativeWeightedLossEqualsHandComputedValue() {
    try (NDManager m = NDManager.newBaseManager()) {
      // row 0: 3 real tokens (right padded to 4), one label y = 1, predictions 0.0, 0.5, 1.0
      //   weights 2/(3*4) * t = 1/6, 2/6, 3/6 -> (1/6)*1 + (2/6)*0.25 + (3/6)*0 = 1/6 + 1/12 = 0.25
      // row 1: 2 real tokens, left padded; y = 0, predictions 0.2, 0.4 (after the pads)
      //   weights 2/(2*3) * t = 1/3, 2/3 -> (1/3)*0.04 + (2/3)*0.16 = 0.12
      NDArray pred =
          m.create(new float[] {0f, 0.5f, 1f, 9f, 7f, 7f, 0.2f, 0.4f}, new Shape(2, 4, 1));
      NDArray target = m.create(new float[] {1f, 0f}, new Shape(2, 1));
      NDArray mask = m.create(new long[] {1, 1, 1, 0, 0, 0, 1, 1}, new Shape(2, 4));
      float loss = TrainingLosses.cumulativeWeightedMse(pred, target, mask).getFloat();
      assertEquals((0.25f + 0.12f) / 2, loss, 1e-6);
    }
  }

  @Test
  void cumulativeLossSumsOverLabels() {
    try (NDManager m = NDManager.newBaseManager()) {
      // one token, two labels: weight 1, (0.5-1)^2 + (0-0.5)^2 = 0.5
      NDArray pred = m.create(new float[] {0.5f, 0f}, new Shape(1, 1, 2));
      NDArray target = m.create(new float[] {1f, 0.5f}, new Shape(1, 2));
      NDArray mask = m.create(new long[] {1}, new Shape(1, 1));
      assertEquals(0.5f, TrainingLosses.cumulativeWeightedMse(pred, target, mask).getFloat(), 1e-6);
    }
  }

  @Test
  void centredMseIgnoresEachSetsLevelAndMeasuresItsRanking() {
    try (NDManager m = NDManager.newBaseManager()) {
      // two prefixes x three candidates x one label
      NDArray teacher =
          m.create(new float[] {0.1f, 0.2f, 0.6f, 0.5f, 0.5f, 0.8f}, new Shape(2, 3, 1));
      // the same within-set differences, shifted per set by +0.3 / -0.2: nothing to learn
      NDArray shifted =
          m.create(new float[] {0.4f, 0.5f, 0.9f, 0.3f, 0.3f, 0.6f}, new Shape(2, 3, 1));
      assertEquals(0f, TrainingLosses.centredMeanSquaredError(shifted, teacher).getFloat(), 1e-6);
      assertTrue(TrainingLosses.meanSquaredError(shifted, teacher).getFloat() > 0.01f);
      // set 0 ranked the other way round: centred s = (0.2333, 0.1333, -0.3667) vs t =
      // (-0.2, -0.1, 0.3) -> squared differences 0.18778, 0.05444, 0.44444, mean over 6 = 0.11444
      NDArray reversed =
          m.create(new float[] {0.6f, 0.5f, 0.0f, 0.5f, 0.5f, 0.8f}, new Shape(2, 3, 1));
      assertEquals(
          0.114444f, TrainingLosses.centredMeanSquaredError(reversed, teacher).getFloat(), 1e-5);
    }
  }

  @Test
  void regulariserIsZeroForZeroDeltaAndPositiveOtherwise() {
    try (NDManager m = NDManager.newBaseManager()) {
      NDArray mask = m.create(new long[] {1, 1, 0}, new Shape(1, 3));
      NDArray zero = m.zeros(new Shape(1, 3, 2));
      assertEquals(0f, TrainingLosses.deltaRegulariser(zero, mask).getFloat());
      // padding deltas do not count
      NDArray padOnly = m.create(new float[] {0, 0, 0, 0, 5, 5}, new Shape(1, 3, 2));
      assertEquals(0f, TrainingLosses.deltaRegulariser(padOnly, mask).getFloat());
      NDArray some = m.create(new float[] {0.1f, 0, 0, -0.3f, 0, 0}, new Shape(1, 3, 2));
      float r = TrainingLosses.deltaRegulariser(some, mask).getFloat();
      assertTrue(r > 0);
      assertEquals((0.01f + 0.09f) / 4, r, 1e-7);
    }
  }

  @Test
  void distillationAndLmLossesIgnorePadding() {
    try (NDManager m = NDManager.newBaseManager()) {
      NDArray mask = m.create(new long[] {1, 1, 0}, new Shape(1, 3));
      NDArray student = m.create(new float[] {1f, 2f, 100f}, new Shape(1, 3, 1));
      NDArray teacher = m.create(new float[] {1f, 0f, 0f}, new Shape(1, 3, 1));
      assertEquals(2f, TrainingLosses.distillationMse(student, teacher, mask).getFloat(), 1e-6);
      // uniform logits over V = 4: cross-entropy ln 4 per predicted token, padding ignored
      NDArray logits = m.zeros(new Shape(1, 3, 4));
      NDArray ids = m.create(new long[] {1, 2, 3}, new Shape(1, 3));
      assertEquals(Math.log(4), TrainingLosses.causalLm(logits, ids, mask).getFloat(), 1e-6);
    }
  }

  @Test
  void prefixBceEqualsHandComputedValueAndIgnoresZeroWeights() {
    try (NDManager m = NDManager.newBaseManager()) {
      // logits 0 (p = 0.5, bce ln 2), 2 with target 1 (bce ln(1 + e^-2)), 1000 with weight 0
      NDArray z = m.create(new float[] {0f, 2f, 1000f}, new Shape(1, 3, 1));
      NDArray y = m.create(new float[] {1f, 1f, 0f}, new Shape(1, 3, 1));
      NDArray w = m.create(new float[] {1f, 3f, 0f}, new Shape(1, 3));
      double expected = (Math.log(2) + 3 * Math.log(1 + Math.exp(-2))) / 4;
      assertEquals(expected, TrainingLosses.prefixBce(z, y, w).getFloat(), 1e-6);
      // huge logits stay finite
      NDArray big = m.create(new float[] {-1000f, 1000f, 0f}, new Shape(1, 3, 1));
      assertTrue(Float.isFinite(TrainingLosses.prefixBce(big, y, w).getFloat()));
    }
  }
}
