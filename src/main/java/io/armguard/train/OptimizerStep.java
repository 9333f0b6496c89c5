package io.armguard.train;

import ai.djl.ndarray.NDArray;
import ai.djl.nn.Parameter;
import java.util.Collection;

/**
 * What happens after a backward pass, outside the gradient collector: clip the global gradient
 * norm, AdamW update, then zero the gradients (libtorch accumulates them across backward passes and
 * DJL's collector does not reset them).
 */
final class OptimizerStep {
  private OptimizerStep() {}

  /** Returns the gradient norm before clipping. */
  static double apply(Collection<Parameter> parameters, AdamW optimizer, float lr, double clip) {
    double norm = GradientClipping.clipGlobalNorm(parameters, clip);
    optimizer.update(lr);
    for (Parameter p : parameters) {
      NDArray g = p.getArray().getGradient();
      g.muli(0);
      g.close();
    }
    return norm;
  }
}
