package io.armguard.eval;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.armguard.data.BinaryMetrics;
import java.util.Random;
import org.junit.jupiter.api.Test;

class LogisticRegressionTest {
  @Test
  void learnsASeparableToyProblem() {
    Random random = new Random(1);
    int n = 200;
    float[][] x = new float[n][];
    int[] y = new int[n];
    for (int i = 0; i < n; i++) {
      y[i] = i % 2;
      float shift = y[i] == 1 ? 1.5f : -1.5f;
      x[i] =
          new float[] {shift + (float) random.nextGaussian() * 0.5f, (float) random.nextGaussian()};
    }
    LogisticRegression model = LogisticRegression.fit(x, y, 1e-4, 30);
    double[] scores = new double[n];
    for (int i = 0; i < n; i++) {
      scores[i] = model.probability(x[i]);
    }
    assertEquals(1.0, BinaryMetrics.accuracy(scores, y, 0.5), 1e-12);
    assertTrue(model.weights()[0] > 1, "the informative feature carries the weight");
    assertTrue(Math.abs(model.weights()[1]) < Math.abs(model.weights()[0]) / 5);
  }

  @Test
  void l2PenaltyShrinksWeights() {
    float[][] x = {{1}, {2}, {-1}, {-2}, {0.5f}, {-0.5f}};
    int[] y = {1, 1, 0, 0, 0, 1};
    double loose = LogisticRegression.fit(x, y, 1e-3, 30).weights()[0];
    double tight = LogisticRegression.fit(x, y, 1.0, 30).weights()[0];
    assertTrue(tight > 0 && tight < loose, tight + " vs " + loose);
  }

  @Test
  void aucAndAccuracyMatchHandComputedValues() {
    double[] scores = {0.9, 0.8, 0.7, 0.6, 0.6, 0.1};
    int[] labels = {1, 0, 1, 1, 0, 0};
    // positive/negative pairs: (0.9 beats all 3), (0.7 beats 0.6,0.1 loses 0.8), (0.6 ties 0.6,
    // beats 0.1, loses 0.8) -> (3 + 2 + 1.5) / 9
    assertEquals(6.5 / 9, BinaryMetrics.auc(scores, labels), 1e-12);
    assertEquals(4.0 / 6, BinaryMetrics.accuracy(scores, labels, 0.65), 1e-12);
  }
}
