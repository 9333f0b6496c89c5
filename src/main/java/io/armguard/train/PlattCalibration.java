package io.armguard.train;

/**
 * Platt scaling: the affine map {@code a * raw + b} under a sigmoid that minimises the log loss of
 * raw scores against binary labels, fitted by Newton's method (two parameters, convex problem).
 * Uses Platt's smoothed targets ((n+ + 1)/(n+ + 2) and 1/(n- + 2)) so that separable data gives a
 * finite fit. Pure function; no state.
 */
public final class PlattCalibration {
  /**
   * @param scale the fitted a (> 0 for a model that ranks positives higher)
   * @param bias the fitted b
   */
  public record Fit(float scale, float bias) {}

  private PlattCalibration() {}

  public static Fit fit(double[] raw, int[] labels) {
    if (raw.length != labels.length || raw.length == 0) {
      throw new IllegalArgumentException("need equally many scores and labels, at least one");
    }
    int positives = 0;
    for (int y : labels) {
      positives += y;
    }
    int negatives = labels.length - positives;
    double hi = (positives + 1.0) / (positives + 2.0);
    double lo = 1.0 / (negatives + 2.0);
    double a = 1;
    double b = 0;
    for (int iter = 0; iter < 100; iter++) {
      double ga = 0;
      double gb = 0;
      double haa = 1e-9;
      double hab = 0;
      double hbb = 1e-9;
      for (int i = 0; i < raw.length; i++) {
        double t = labels[i] == 1 ? hi : lo;
        double p = 1 / (1 + Math.exp(-(a * raw[i] + b)));
        double d = p - t;
        double w = p * (1 - p);
        ga += d * raw[i];
        gb += d;
        haa += w * raw[i] * raw[i];
        hab += w * raw[i];
        hbb += w;
      }
      double det = haa * hbb - hab * hab;
      if (Math.abs(det) < 1e-18) {
        break;
      }
      double da = (hbb * ga - hab * gb) / det;
      double db = (haa * gb - hab * ga) / det;
      a -= da;
      b -= db;
      if (Math.abs(da) < 1e-9 && Math.abs(db) < 1e-9) {
        break;
      }
    }
    return new Fit((float) a, (float) b);
  }
}
