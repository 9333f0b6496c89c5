package io.armguard.eval;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Random;
import org.junit.jupiter.api.Test;

class NumericalRankTest {

  /** A 40 x 500 matrix built as U (40 x r) V (r x 500) has numerical rank r. */
  @Test
  void rankOfAConstructedLowRankMatrix() {
    for (int r : new int[] {1, 3, 7}) {
      float[][] m = lowRank(40, 500, r, new Random(r));
      double[] sv = NumericalRank.singularValues(NumericalRank.gram(m), 40);
      assertEquals(r, NumericalRank.rank(sv, 1e-3), "rank " + r);
      // leading sub-blocks: the first 5 rows still span min(5, r) dimensions
      assertEquals(
          Math.min(5, r),
          NumericalRank.rank(NumericalRank.singularValues(NumericalRank.gram(m), 5), 1e-3));
    }
  }

  @Test
  void singularValuesOfADiagonalMatrix() {
    float[][] m = {{3, 0, 0}, {0, 2, 0}, {0, 0, 0.5f}};
    double[] sv = NumericalRank.singularValues(NumericalRank.gram(m), 3);
    assertEquals(3.0, sv[0], 1e-9);
    assertEquals(2.0, sv[1], 1e-9);
    assertEquals(0.5, sv[2], 1e-9);
    assertEquals(2, NumericalRank.rank(sv, 0.2));
  }

  private static float[][] lowRank(int n, int cols, int r, Random random) {
    double[][] u = new double[n][r];
    double[][] v = new double[r][cols];
    for (double[] row : u) {
      for (int j = 0; j < r; j++) {
        row[j] = random.nextGaussian();
      }
    }
    for (double[] row : v) {
      for (int j = 0; j < cols; j++) {
        row[j] = random.nextGaussian();
      }
    }
    float[][] m = new float[n][cols];
    for (int i = 0; i < n; i++) {
      for (int j = 0; j < cols; j++) {
        double s = 0;
        for (int k = 0; k < r; k++) {
          s += u[i][k] * v[k][j];
        }
        m[i][j] = (float) s;
      }
    }
    return m;
  }
}
