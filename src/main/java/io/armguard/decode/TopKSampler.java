package io.armguard.decode;

/**
 * Chooses one of k candidates from their (possibly guided) logits: softmax at a temperature, then
 * inverse-CDF with a uniform draw u supplied by the caller (each request owns its generator, so a
 * row's choice never depends on its batch mates). Temperature 0 is greedy (first maximum). DJL's
 * PyTorch engine has no multinomial, and k is small, so this runs in Java in double precision.
 */
public final class TopKSampler {

  private TopKSampler() {}

  /**
   * The sampling distribution over the first {@code k} logits of {@code row} starting at {@code
   * offset}; one-hot on the first maximum when {@code temperature == 0}.
   */
  public static double[] probabilities(float[] row, int offset, int k, float temperature) {
    double[] p = new double[k];
    int best = argmax(row, offset, k);
    if (temperature == 0f) {
      p[best] = 1.0;
      return p;
    }
    double max = row[offset + best];
    double sum = 0;
    for (int i = 0; i < k; i++) {
      p[i] = Math.exp((row[offset + i] - max) / temperature);
      sum += p[i];
    }
    for (int i = 0; i < k; i++) {
      p[i] /= sum;
    }
    return p;
  }

  /** Index (0..k-1) chosen by the draw {@code u} in [0, 1). */
  public static int choose(float[] row, int offset, int k, float temperature, double u) {
    if (temperature == 0f) {
      return argmax(row, offset, k);
    }
    double[] p = probabilities(row, offset, k, temperature);
    double cdf = 0;
    int last = 0;
    for (int i = 0; i < k; i++) {
      if (p[i] > 0) {
        cdf += p[i];
        last = i;
        if (u < cdf) {
          return i;
        }
      }
    }
    return last; // u beyond the rounded total: the last candidate with mass
  }

  /** First index of the maximum among the first k logits. */
  public static int argmax(float[] row, int offset, int k) {
    int best = 0;
    for (int i = 1; i < k; i++) {
      if (row[offset + i] > row[offset + best]) {
        best = i;
      }
    }
    return best;
  }
}
