package io.armguard.reward;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.nn.core.Linear;
import ai.djl.training.initializer.ConstantInitializer;
import ai.djl.training.initializer.NormalInitializer;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * RAD's reward head: rho(x) = W h(x) + b, one output per label, no sigmoid (docs/algorithm.md
 * section 2). Stored as {@code rad_head.weight} [L, d] (torch {@code nn.Linear} orientation) and
 * {@code rad_head.bias} [L]. Trainable DJL parameters.
 */
public final class RadHead {

  public static final String WEIGHT = "rad_head.weight";
  public static final String BIAS = "rad_head.bias";

  private final Parameter weight;
  private final Parameter bias;

  private RadHead(Parameter weight, Parameter bias) {
    this.weight = weight;
    this.bias = bias;
  }

  /** A new head: weight N(0, 0.02), bias 0 (uses libtorch's global generator). */
  public static RadHead random(int d, int labels, NDManager manager) {
    return new RadHead(
        HeadParameter.create(WEIGHT, new Shape(labels, d), new NormalInitializer(0.02f), manager),
        HeadParameter.create(BIAS, new Shape(labels), new ConstantInitializer(0f), manager));
  }

  /** The head stored in {@code tensors} (as read from model.safetensors). */
  static RadHead fromTensors(Map<String, NDArray> tensors, int d, int labels, NDManager manager)
      throws IOException {
    return new RadHead(
        HeadParameter.fromTensor(WEIGHT, new Shape(labels, d), tensors, manager),
        HeadParameter.fromTensor(BIAS, new Shape(labels), tensors, manager));
  }

  /** Raw scores {@code [..., d] -> [..., L]}, in {@code hidden}'s manager. */
  public NDArray apply(NDArray hidden) {
    return Linear.linear(hidden, weight.getArray(), bias.getArray()).head();
  }

  /** Parameters by file name. */
  public Map<String, Parameter> parameters() {
    Map<String, Parameter> m = new LinkedHashMap<>();
    m.put(WEIGHT, weight);
    m.put(BIAS, bias);
    return m;
  }
}
