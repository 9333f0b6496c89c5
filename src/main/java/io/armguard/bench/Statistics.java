package io.armguard.bench;

import java.util.Arrays;

/** The summary statistics and rounding every benchmark reports with. */
public final class Statistics {
  private Statistics() {}

  /**
   * The median of {@code values} (the mean of the middle two for an even count); 0 for none (a part
   * of the work that did not run costs nothing).
   */
  public static double median(double[] values) {
    if (values.length == 0) {
      return 0;
    }
    double[] s = values.clone();
    Arrays.sort(s);
    int n = s.length;
    return n % 2 == 1 ? s[n / 2] : (s[n / 2 - 1] + s[n / 2]) / 2;
  }

  /**
   * The nearest-rank {@code q}-quantile of ascending {@code sorted} values; NaN for none.
   *
   * @param q in [0, 1]
   */
  public static double percentile(double[] sorted, double q) {
    if (sorted.length == 0) {
      return Double.NaN;
    }
    return sorted[(int) Math.max(0, Math.min(sorted.length - 1, Math.ceil(q * sorted.length) - 1))];
  }

  /** {@code v} rounded to {@code decimals} decimals, for a JSON figure; NaN and infinities kept. */
  public static double round(double v, int decimals) {
    if (!Double.isFinite(v)) {
      return v;
    }
    double scale = Math.pow(10, decimals);
    return Math.round(v * scale) / scale;
  }

  /** Each of {@code values} rounded to {@code decimals} decimals. */
  public static double[] round(double[] values, int decimals) {
    return Arrays.stream(values).map(v -> round(v, decimals)).toArray();
  }
}
