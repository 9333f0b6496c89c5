package io.armguard.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import org.junit.jupiter.api.Test;

class PlattCalibrationTest {
  @Test
  void recoversTheAffineMapOfALogisticModel() {
    // labels drawn from sigmoid(2 * raw - 1): the fit must find a ~ 2, b ~ -1
    Random r = new Random(7);
    int n = 20000;
    double[] raw = new double[n];
    int[] y = new int[n];
    for (int i = 0; i < n; i++) {
      raw[i] = r.nextGaussian() * 2;
      y[i] = r.nextDouble() < 1 / (1 + Math.exp(-(2 * raw[i] - 1))) ? 1 : 0;
    }
    PlattCalibration.Fit fit = PlattCalibration.fit(raw, y);
    assertEquals(2.0, fit.scale(), 0.1);
    assertEquals(-1.0, fit.bias(), 0.1);
  }

  @Test
  void separableDataStaysFinite() {
    PlattCalibration.Fit fit =
        PlattCalibration.fit(new double[] {-2, -1, 1, 2}, new int[] {0, 0, 1, 1});
    assertTrue(Float.isFinite(fit.scale()) && fit.scale() > 0, "scale " + fit.scale());
    assertTrue(Float.isFinite(fit.bias()));
  }
}
