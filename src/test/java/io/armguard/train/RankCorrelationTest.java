package io.armguard.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** Spearman's rho against values worked out by hand. */
class RankCorrelationTest {

  @Test
  void monotoneAgreementIsOneAndReversalMinusOne() {
    double[] x = {0.1, 5, 2, -3};
    assertEquals(1.0, RankCorrelation.spearman(x, new double[] {1, 9, 4, 0}), 1e-12);
    assertEquals(-1.0, RankCorrelation.spearman(x, new double[] {-1, -9, -4, 0}), 1e-12);
  }

  @Test
  void tiesShareTheirMeanRank() {
    assertArrayEquals(
        new double[] {1, 2.5, 2.5, 4}, RankCorrelation.ranks(new double[] {1, 2, 2, 3}), 0);
    // x ranks 1..5, y ranks 1, 2.5, 2.5, 5, 4: rho = 8.5 / sqrt(10 * 9.5)
    assertEquals(
        8.5 / Math.sqrt(10 * 9.5),
        RankCorrelation.spearman(new double[] {1, 2, 3, 4, 5}, new double[] {0, 7, 7, 9, 8}),
        1e-12);
  }

  @Test
  void aConstantSampleHasNoRankingToAgreeWith() {
    assertTrue(Double.isNaN(RankCorrelation.spearman(new double[] {1, 2}, new double[] {3, 3})));
    assertTrue(Double.isNaN(RankCorrelation.spearman(new double[] {1}, new double[] {3})));
  }
}
