package io.armguard.eval;

/**
 * Singular values of an N x M matrix (N small, M large, e.g. N prefixes x |V| rewards) through the
 * eigenvalues of its N x N Gram matrix in double precision (Jacobi rotations), and the numerical
 * rank: the number of singular values above {@code relativeCutoff * sigma_max}.
 */
public final class NumericalRank {

  private NumericalRank() {}

  /** The Gram matrix R R^T of {@code rows} (each of length M), in double precision. */
  public static double[][] gram(float[][] rows) {
    int n = rows.length;
    double[][] g = new double[n][n];
    for (int i = 0; i < n; i++) {
      for (int j = 0; j <= i; j++) {
        double s = 0;
        float[] a = rows[i];
        float[] b = rows[j];
        for (int k = 0; k < a.length; k++) {
          s += (double) a[k] * b[k];
        }
        g[i][j] = s;
        g[j][i] = s;
      }
    }
    return g;
  }

  /**
   * Singular values (descending) of the matrix whose Gram is the leading n x n block of {@code g}.
   */
  public static double[] singularValues(double[][] g, int n) {
    double[][] a = new double[n][n];
    for (int i = 0; i < n; i++) {
      System.arraycopy(g[i], 0, a[i], 0, n);
    }
    double[] eig = jacobiEigenvalues(a);
    double[] sv = new double[n];
    for (int i = 0; i < n; i++) {
      sv[i] = Math.sqrt(Math.max(0, eig[i]));
    }
    java.util.Arrays.sort(sv);
    for (int i = 0; i < n / 2; i++) {
      double t = sv[i];
      sv[i] = sv[n - 1 - i];
      sv[n - 1 - i] = t;
    }
    return sv;
  }

  /** Number of singular values above {@code relativeCutoff * sigma_max}. */
  public static int rank(double[] singularValues, double relativeCutoff) {
    if (singularValues.length == 0 || singularValues[0] == 0) {
      return 0;
    }
    int r = 0;
    for (double s : singularValues) {
      if (s > relativeCutoff * singularValues[0]) {
        r++;
      }
    }
    return r;
  }

  /** Eigenvalues of a symmetric matrix (destroyed) by cyclic Jacobi rotations. */
  static double[] jacobiEigenvalues(double[][] a) {
    int n = a.length;
    for (int sweep = 0; sweep < 100; sweep++) {
      double off = 0;
      double diag = 0;
      for (int i = 0; i < n; i++) {
        diag += a[i][i] * a[i][i];
        for (int j = i + 1; j < n; j++) {
          off += a[i][j] * a[i][j];
        }
      }
      if (off <= 1e-30 * Math.max(diag, 1e-300)) {
        break;
      }
      for (int p = 0; p < n; p++) {
        for (int q = p + 1; q < n; q++) {
          double apq = a[p][q];
          if (Math.abs(apq) < 1e-300) {
            continue;
          }
          double theta = (a[q][q] - a[p][p]) / (2 * apq);
          double t = Math.signum(theta) / (Math.abs(theta) + Math.sqrt(theta * theta + 1));
          if (theta == 0) {
            t = 1;
          }
          double c = 1 / Math.sqrt(t * t + 1);
          double s = t * c;
          for (int k = 0; k < n; k++) {
            double akp = a[k][p];
            double akq = a[k][q];
            a[k][p] = c * akp - s * akq;
            a[k][q] = s * akp + c * akq;
          }
          for (int k = 0; k < n; k++) {
            double apk = a[p][k];
            double aqk = a[q][k];
            a[p][k] = c * apk - s * aqk;
            a[q][k] = s * apk + c * aqk;
          }
        }
      }
    }
    double[] eig = new double[n];
    for (int i = 0; i < n; i++) {
      eig[i] = a[i][i];
    }
    return eig;
  }
}
