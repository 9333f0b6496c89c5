package io.armguard.train;

import ai.djl.ndarray.NDArray;
import ai.djl.nn.Parameter;
import java.util.Collection;

/** Clipping of all gradients together by their global L2 norm (torch's clip_grad_norm_). */
public final class GradientClipping {
  private GradientClipping() {}

  /**
   * Scales every gradient so the global norm is at most {@code maxNorm}; returns the norm before.
   */
  public static double clipGlobalNorm(Collection<Parameter> parameters, double maxNorm) {
    double sumSquares = 0;
    for (Parameter p : parameters) {
      NDArray g = p.getArray().getGradient();
      try (NDArray sq = g.square();
          NDArray s = sq.sum()) {
        sumSquares += s.getFloat();
      }
      g.close(); // getGradient() returns a new handle each call
    }
    double norm = Math.sqrt(sumSquares);
    if (maxNorm > 0 && norm > maxNorm) {
      float scale = (float) (maxNorm / (norm + 1e-6));
      for (Parameter p : parameters) {
        NDArray g = p.getArray().getGradient();
        g.muli(scale);
        g.close();
      }
    }
    return norm;
  }
}
