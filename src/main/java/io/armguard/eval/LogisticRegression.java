package io.armguard.eval;

/**
 * Binary logistic regression with an L2 penalty (intercept not penalised), fitted by Newton's
 * method (iteratively re-weighted least squares) with class-balanced sample weights. Exact and
 * deterministic; fine for a few thousand rows of a few hundred features.
 *
 * @param weights one weight per feature
 * @param bias intercept
 */
public record LogisticRegression(double[] weights, double bias) {

  /** P(label = 1 | x). */
  public double probability(float[] x) {
    double z = bias;
    for (int j = 0; j < weights.length; j++) {
      z += weights[j] * x[j];
    }
    return 1.0 / (1.0 + Math.exp(-z));
  }

  /**
   * Fits the model.
   *
   * @param x rows of features, all the same length
   * @param y labels 0/1
   * @param l2 penalty strength lambda on the (class-weighted, mean) log loss
   * @param iterations Newton steps (converges in ~10)
   */
  public static LogisticRegression fit(float[][] x, int[] y, double l2, int iterations) {
    int n = x.length;
    int d = x[0].length;
    int positives = 0;
    for (int label : y) {
      positives += label;
    }
    if (positives == 0 || positives == n) {
      throw new IllegalArgumentException("need both classes to fit");
    }
    // balanced weights: each class contributes half of the loss
    double wPos = 0.5 / positives;
    double wNeg = 0.5 / (n - positives);
    double[] beta = new double[d + 1]; // beta[d] = bias
    for (int it = 0; it < iterations; it++) {
      double[] gradient = new double[d + 1];
      double[][] hessian = new double[d + 1][d + 1];
      double[] row = new double[d + 1];
      for (int i = 0; i < n; i++) {
        for (int j = 0; j < d; j++) {
          row[j] = x[i][j];
        }
        row[d] = 1;
        double z = 0;
        for (int j = 0; j <= d; j++) {
          z += beta[j] * row[j];
        }
        double p = 1.0 / (1.0 + Math.exp(-z));
        double w = y[i] == 1 ? wPos : wNeg;
        double g = w * (p - y[i]);
        double h = w * p * (1 - p);
        for (int a = 0; a <= d; a++) {
          gradient[a] += g * row[a];
          double hr = h * row[a];
          for (int b = 0; b <= a; b++) {
            hessian[a][b] += hr * row[b];
          }
        }
      }
      for (int a = 0; a < d; a++) {
        gradient[a] += l2 * beta[a];
        hessian[a][a] += l2;
      }
      hessian[d][d] += 1e-9; // keeps the system positive definite when l2 = 0
      for (int a = 0; a <= d; a++) {
        for (int b = a + 1; b <= d; b++) {
          hessian[a][b] = hessian[b][a];
        }
      }
      double[] step = Cholesky.solve(hessian, gradient);
      // damped Newton: on (nearly) separable data a full step can overshoot into saturation,
      // where the Hessian vanishes and the iteration diverges; halve until the loss falls
      double before = loss(x, y, beta, l2, wPos, wNeg);
      double scale = 1;
      double[] next = new double[d + 1];
      for (int halving = 0; halving < 40; halving++) {
        for (int j = 0; j <= d; j++) {
          next[j] = beta[j] - scale * step[j];
        }
        if (loss(x, y, next, l2, wPos, wNeg) <= before) {
          break;
        }
        scale /= 2;
      }
      double change = 0;
      for (int j = 0; j <= d; j++) {
        change = Math.max(change, Math.abs(next[j] - beta[j]));
        beta[j] = next[j];
      }
      if (change < 1e-7) {
        break;
      }
    }
    double[] weights = java.util.Arrays.copyOf(beta, d);
    return new LogisticRegression(weights, beta[d]);
  }

  /** The penalised, class-weighted log loss that {@link #fit} minimises. */
  private static double loss(
      float[][] x, int[] y, double[] beta, double l2, double wPos, double wNeg) {
    int d = beta.length - 1;
    double total = 0;
    for (int i = 0; i < x.length; i++) {
      double z = beta[d];
      for (int j = 0; j < d; j++) {
        z += beta[j] * x[i][j];
      }
      // log(1 + e^z) - y z, computed without overflow
      double softplus = z > 0 ? z + Math.log1p(Math.exp(-z)) : Math.log1p(Math.exp(z));
      total += (y[i] == 1 ? wPos : wNeg) * (softplus - y[i] * z);
    }
    double penalty = 0;
    for (int j = 0; j < d; j++) {
      penalty += beta[j] * beta[j];
    }
    return total + 0.5 * l2 * penalty;
  }
}
