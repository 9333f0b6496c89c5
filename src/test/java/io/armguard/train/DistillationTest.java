package io.armguard.train;

import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.training.GradientCollector;
import io.armguard.model.GptConfig;
import io.armguard.model.LeftPadding;
import io.armguard.reward.ArmRewardModel;
import io.armguard.reward.RadRewardModel;
import io.armguard.reward.RewardKind;
import io.armguard.reward.RewardModelInfo;
import io.armguard.reward.RewardModels;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Distillation (MSE onto a frozen RAD teacher + regulariser) drives an ARM student to the teacher.
 */
class DistillationTest {

  @Test
  void studentApproachesTeacherOnATinyProblem() {
    try (NDManager root = NDManager.newBaseManager()) {
      GptConfig config = GptConfig.of(40, 16, 16, 1, 2);
      RadRewardModel teacher =
          (RadRewardModel)
              RewardModels.random(
                  config,
                  RewardModelInfo.detox(RewardKind.RAD, List.of("toxicity"), "test"),
                  null,
                  root,
                  3);
      // a teacher with a clear signal: scale its head so scores vary over roughly [-1, 1]
      teacher.head().parameters().values().forEach(p -> p.getArray().muli(20));
      ArmRewardModel student =
          (ArmRewardModel)
              RewardModels.random(
                  config,
                  RewardModelInfo.detox(RewardKind.ARM, List.of("toxicity"), "test"),
                  null,
                  root,
                  4);
      int[][] seqs = {{1, 2, 3, 4, 5, 6}, {7, 8, 9}, {10, 11, 12, 13, 14}, {3, 9, 27, 5}};
      var params = student.trainableParameters();
      AdamW adam = new AdamW(params, root, 0.9f, 0.95f, 1e-8f, 0f);
      float first = 0;
      float last = 0;
      for (int step = 1; step <= 150; step++) {
        try (NDManager m = root.newSubManager()) {
          NDList in = LeftPadding.pad(seqs, 0, m);
          NDArray ids = in.get(0);
          NDArray mask = in.get(1);
          NDArray target = teacher.scores(ids, mask, false);
          try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
            NDArray h = student.shiftedHidden(ids, mask, true);
            NDArray pred = student.head().scores(h, ids, student.embedding());
            NDArray fit = TrainingLosses.distillationMse(pred, target, mask);
            NDArray reg =
                TrainingLosses.deltaRegulariser(
                    student.head().delta(h, ids.add(1L).mod(40L), student.embedding()), mask);
            gc.backward(fit.add(reg.mul(0.01f)));
            last = fit.getFloat();
            first = step == 1 ? last : first;
          }
          OptimizerStep.apply(params.values(), adam, 3e-3f, 2.0);
        }
      }
      assertTrue(first > 0.05f, "teacher and untrained student disagree: " + first);
      assertTrue(last < 0.1f * first, "distillation MSE " + first + " -> " + last);
    }
  }
}
