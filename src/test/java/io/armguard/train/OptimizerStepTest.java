package io.armguard.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.nn.Parameter;
import ai.djl.training.GradientCollector;
import java.util.Map;
import org.junit.jupiter.api.Test;

class OptimizerStepTest {
  private static double step(Parameter w, AdamW adam, NDManager root, float scale, boolean poison) {
    try (NDManager m = root.newSubManager();
        GradientCollector gc = Engine.getInstance().newGradientCollector()) {
      NDArray loss = w.getArray().mul(scale).sum();
      if (poison) {
        loss = loss.mul(m.create(Float.NaN));
      }
      gc.backward(loss);
    }
    return OptimizerStep.apply(Map.of("w", w).values(), adam, 0.1f, 1.0);
  }

  @Test
  void aNonFiniteStepUpdatesNothingAndLeavesNoNaNForTheNextStep() {
    try (NDManager root = NDManager.newBaseManager()) {
      Parameter w = Parameter.builder().setName("w").setType(Parameter.Type.WEIGHT).build();
      w.setArray(root.create(new float[] {1f, 2f, 3f}));
      w.getArray().setRequiresGradient(true);
      AdamW adam = new AdamW(Map.of("w", w), root, 0.9f, 0.95f, 1e-8f, 0f);
      float[] before = w.getArray().toFloatArray();

      assertFalse(Double.isFinite(step(w, adam, root, 1f, true)), "poisoned step");
      assertArrayEquals(before, w.getArray().toFloatArray(), "a NaN step changes no weight");
      NDArray g = w.getArray().getGradient();
      assertFalse(g.isNaN().any().getBoolean(), "gradient cleared, NaN included");

      // before the fix the NaN stayed in the gradient (NaN * 0) and every later step was NaN
      assertTrue(Double.isFinite(step(w, adam, root, 1f, false)), "the next step is clean");
      NDArray after = w.getArray().duplicate();
      assertFalse(after.isNaN().any().getBoolean());
      assertTrue(
          after.toType(DataType.FLOAT32, false).sub(root.create(before)).abs().sum().getFloat() > 0,
          "the clean step updates");
    }
  }
}
