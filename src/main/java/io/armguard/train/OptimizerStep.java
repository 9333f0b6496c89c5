package io.armguard.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.nn.Parameter;
import java.util.Collection;

/**
 * What happens after a backward pass, outside the gradient collector: clip the global gradient
 * norm, AdamW update, then zero the gradients (libtorch accumulates them across backward passes and
 * DJL's collector does not reset them).
 */
final class OptimizerStep {
  private OptimizerStep() {}

  /**
   * Clips, updates and clears the gradients; returns the gradient norm before clipping. A step
   * whose gradient norm is not finite (an overflow somewhere in the batch) updates nothing: its
   * gradients are cleared and the weights and AdamW moments stay as they were, so one bad batch
   * cannot turn every weight into NaN.
   */
  static double apply(Collection<Parameter> parameters, AdamW optimizer, float lr, double clip) {
    double norm = GradientClipping.clipGlobalNorm(parameters, clip);
    if (Double.isFinite(norm)) {
      optimizer.update(lr);
    }
    for (Parameter p : parameters) {
      NDArray g = p.getArray().getGradient();
      // a fill, not g *= 0: NaN * 0 is NaN, and a kept NaN would poison every later step
      g.set(new NDIndex("..."), 0f);
      g.close();
    }
    return norm;
  }
}
