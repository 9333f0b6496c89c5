package io.armguard.train;

import java.util.Arrays;
import java.util.Comparator;

/** Spearman's rank correlation: Pearson's correlation of the ranks, tied values sharing a rank. */
final class RankCorrelation {
  private RankCorrelation() {}

  /**
   * Spearman's rho of two equally long samples, in [-1, 1].
   *
   * @return NaN when either sample has fewer than 2 values or all of its values are equal (no
   *     ranking to agree with)
   */
  static double spearman(double[] x, double[] y) {
    if (x.length != y.length) {
      throw new IllegalArgumentException("samples of " + x.length + " and " + y.length + " values");
    }
    return pearson(ranks(x), ranks(y));
  }

  /** 1-based ranks; a run of ties gets the mean of the ranks it spans. */
  static double[] ranks(double[] v) {
    Integer[] order = new Integer[v.length];
    for (int i = 0; i < v.length; i++) {
      order[i] = i;
    }
    Arrays.sort(order, Comparator.comparingDouble(i -> v[i]));
    double[] r = new double[v.length];
    for (int start = 0; start < v.length; ) {
      int end = start + 1;
      while (end < v.length && v[order[end]] == v[order[start]]) {
        end++;
      }
      double mean = (start + 1 + end) / 2.0; // ranks start+1 .. end
      for (int i = start; i < end; i++) {
        r[order[i]] = mean;
      }
      start = end;
    }
    return r;
  }

  private static double pearson(double[] a, double[] b) {
    int n = a.length;
    if (n < 2) {
      return Double.NaN;
    }
    double ma = Arrays.stream(a).average().orElse(0);
    double mb = Arrays.stream(b).average().orElse(0);
    double sab = 0;
    double saa = 0;
    double sbb = 0;
    for (int i = 0; i < n; i++) {
      sab += (a[i] - ma) * (b[i] - mb);
      saa += (a[i] - ma) * (a[i] - ma);
      sbb += (b[i] - mb) * (b[i] - mb);
    }
    return saa == 0 || sbb == 0 ? Double.NaN : sab / Math.sqrt(saa * sbb);
  }
}
