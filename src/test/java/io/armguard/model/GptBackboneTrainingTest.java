package io.armguard.model;

import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.nn.Parameter;
import ai.djl.training.GradientCollector;
import ai.djl.training.optimizer.Optimizer;
import ai.djl.training.tracker.Tracker;
import org.junit.jupiter.api.Test;

/** The backbone's parameters train with DJL's GradientCollector (what the trainer relies on). */
class GptBackboneTrainingTest {

  @Test
  void adamStepsLowerTheNextTokenLossOfLeftPaddedBatch() {
    try (NDManager root = NDManager.newBaseManager()) {
      CausalLm lm = TinyModels.lm(TinyModels.config(), root, 13);
      int[][] seqs = {{5, 6, 7, 8, 9, 10, 11}, {20, 21, 22, 23}};
      Optimizer adam = Optimizer.adam().optLearningRateTracker(Tracker.fixed(1e-2f)).build();
      float first = 0;
      float last = 0;
      for (int step = 0; step < 25; step++) {
        try (NDManager m = root.newSubManager();
            GradientCollector gc = Engine.getInstance().newGradientCollector()) {
          NDList in = LeftPadding.pad(seqs, 0, m);
          NDArray ids = in.get(0);
          NDArray mask = in.get(1).toType(ai.djl.ndarray.types.DataType.FLOAT32, false);
          NDArray h = lm.backbone().hidden(ids, in.get(2), in.get(1), null, true);
          NDArray logp = lm.logits(h).logSoftmax(-1).get(new NDIndex(":, :-1, :"));
          NDArray targets = ids.get(new NDIndex(":, 1:"));
          NDArray picked = logp.mul(targets.oneHot(lm.config().vocabSize())).sum(new int[] {2});
          // only predict real next tokens: both the input and the target position are real
          NDArray weight = mask.get(new NDIndex(":, 1:")).mul(mask.get(new NDIndex(":, :-1")));
          NDArray loss = picked.mul(weight).sum().neg().div(weight.sum());
          gc.backward(loss);
          for (Parameter p : lm.backbone().namedParameters().values()) {
            adam.update(p.getId(), p.getArray(), p.getArray().getGradient());
          }
          float value = loss.getFloat();
          first = step == 0 ? value : first;
          last = value;
        }
      }
      assertTrue(last < 0.5f * first, "loss " + first + " -> " + last);
    }
  }
}
