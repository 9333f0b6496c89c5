package io.armguard.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import io.armguard.reward.ArmRewardModel;

/**
 * One training step's forward pass of an ARM model over a padded batch, as every ARM loss starts
 * ({@code train arm}, {@code train replies}): the shifted hidden states (recorded for the backward
 * pass, and read again by the regulariser and candidate distillation), the frozen token embedding,
 * and from them the observed tokens' scores and the baseline-prior regulariser. Lives inside one
 * step's gradient collector; not thread-safe.
 *
 * @param hidden {@link ArmRewardModel#shiftedHidden} of the batch [B, T, d]
 * @param embedding the frozen token embedding E [V, d]
 */
record ArmTrainingPass(
    ArmRewardModel arm, NDArray ids, NDArray mask, NDArray hidden, NDArray embedding) {

  /** Runs the backbone over {@code ids} [B, T] with {@code mask} [B, T], recording gradients. */
  static ArmTrainingPass of(ArmRewardModel arm, NDArray ids, NDArray mask) {
    NDArray h = arm.shiftedHidden(ids, mask, true);
    return new ArmTrainingPass(arm, ids, mask, h, arm.embedding());
  }

  /** Raw scores of the observed tokens [B, T, L]: r(x_&lt;t, x_t). */
  NDArray scores() {
    return arm.head().scores(hidden, ids, embedding);
  }

  /**
   * {@code fit} plus {@code weight} times the step's baseline-prior penalty ({@link
   * ArmRegulariser}, tokens drawn from (seed, step)); {@code fit} itself when the weight is 0.
   */
  NDArray regularised(NDArray fit, float weight, long seed, long step, NDManager m) {
    if (weight == 0) {
      return fit;
    }
    NDArray penalty = ArmRegulariser.penalty(arm, hidden, ids, embedding, mask, seed, step, m);
    return fit.add(penalty.mul(weight));
  }
}
