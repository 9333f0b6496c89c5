package io.armguard.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import io.armguard.reward.ArmRewardModel;
import java.util.Random;

/**
 * ARM's baseline-prior regulariser (docs/algorithm.md section 3) as the reward trainers apply it:
 * the token deltas of one token per position, drawn uniformly from the vocabulary by a generator
 * seeded with (seed, step), so a resumed run draws exactly the tokens an uninterrupted one would.
 */
final class ArmRegulariser {
  private ArmRegulariser() {}

  /**
   * The unweighted penalty of a step.
   *
   * @param h the shifted hidden states {@code [B, T, d]} the head scores
   * @param ids the batch's token ids {@code [B, T]} (only their shape is used)
   * @param e the frozen token embedding {@code [V, d]}
   * @param mask the batch's attention mask: padding adds nothing
   */
  static NDArray penalty(
      ArmRewardModel arm,
      NDArray h,
      NDArray ids,
      NDArray e,
      NDArray mask,
      long seed,
      long step,
      NDManager m) {
    Random random = new Random(seed * 31L + step);
    Shape shape = ids.getShape();
    long[] v = new long[(int) shape.size()];
    int vocab = (int) e.getShape().get(0);
    for (int i = 0; i < v.length; i++) {
      v[i] = random.nextInt(vocab);
    }
    NDArray deltas = arm.head().delta(h, m.create(v, shape), e);
    return TrainingLosses.deltaRegulariser(deltas, mask);
  }
}
