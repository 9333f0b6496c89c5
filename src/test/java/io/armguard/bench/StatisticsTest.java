package io.armguard.bench;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class StatisticsTest {

  @Test
  void medianAndPercentile() {
    assertEquals(2.0, Statistics.median(new double[] {3, 1, 2}));
    assertEquals(2.5, Statistics.median(new double[] {4, 1, 2, 3}));
    assertEquals(0.0, Statistics.median(new double[0]));
    double[] sorted = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10};
    assertEquals(5.0, Statistics.percentile(sorted, 0.5));
    assertEquals(10.0, Statistics.percentile(sorted, 0.99));
    assertTrue(Double.isNaN(Statistics.percentile(new double[0], 0.5)));
  }

  @Test
  void roundingKeepsNaN() {
    assertEquals(1.23, Statistics.round(1.2345, 2));
    assertArrayEquals(
        new double[] {0.123, 2.0}, Statistics.round(new double[] {0.1234, 1.9999}, 3));
    assertTrue(Double.isNaN(Statistics.round(Double.NaN, 1)));
  }
}
