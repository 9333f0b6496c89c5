package io.armguard.reward;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.training.initializer.Initializer;
import java.io.IOException;
import java.util.Map;

/** Makes the DJL parameters of reward heads: random, or from a tensor read from a file. */
final class HeadParameter {

  private HeadParameter() {}

  /** A trainable parameter initialised by {@code init} in {@code manager}. */
  static Parameter create(String name, Shape shape, Initializer init, NDManager manager) {
    Parameter p =
        Parameter.builder()
            .setName(name)
            .setType(Parameter.Type.OTHER)
            .optShape(shape)
            .optInitializer(init)
            .build();
    p.initialize(manager, DataType.FLOAT32); // also marks it as requiring a gradient
    return p;
  }

  /**
   * A trainable parameter holding {@code tensors.get(name)} (no copy), checked against {@code
   * shape}.
   */
  static Parameter fromTensor(
      String name, Shape shape, Map<String, NDArray> tensors, NDManager manager)
      throws IOException {
    NDArray a = tensors.get(name);
    if (a == null) {
      throw new IOException("missing head tensor " + name + " (expected shape " + shape + ")");
    }
    if (!a.getShape().equals(shape)) {
      throw new IOException(
          "head tensor " + name + " has shape " + a.getShape() + ", expected " + shape);
    }
    return create(name, shape, (m, s, t) -> a, manager);
  }
}
