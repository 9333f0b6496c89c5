package io.armguard.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;

/**
 * The training objectives as pure functions on NDArrays (docs/algorithm.md sections 2-3). Masks are
 * int64 or float {@code [B, T]} with 1 = real token and may be left- or right-padded; results are
 * scalars in the first operand's manager, differentiable with respect to the predictions.
 */
public final class TrainingLosses {
  private TrainingLosses() {}

  /**
   * Mean next-token cross-entropy: position t predicts {@code ids[:, t+1]}; only pairs where both
   * positions are real count.
   *
   * @param logits [B, T, V]
   * @param ids int64 [B, T]
   * @param mask [B, T]
   */
  public static NDArray causalLm(NDArray logits, NDArray ids, NDArray mask) {
    NDArray logp = logits.get(new NDIndex(":, :-1, :")).logSoftmax(-1);
    NDArray targets = ids.get(new NDIndex(":, 1:")).expandDims(-1);
    NDArray picked = logp.gather(targets, 2).squeeze(-1); // [B, T-1]
    NDArray m = floatMask(mask);
    NDArray weight = m.get(new NDIndex(":, 1:")).mul(m.get(new NDIndex(":, :-1")));
    return picked.mul(weight).sum().neg().div(weight.sum().maximum(1f));
  }

  /**
   * RAD's position-weighted cumulative squared error: for a sequence of L real tokens with
   * prediction rho_t after its t-th real token, {@code 2/(L(L+1)) * sum_t t * sum_j (rho_tj -
   * y_j)^2}, averaged over the batch.
   *
   * @param predictions [B, T, J]
   * @param targets [B, J] (label of the whole text)
   * @param mask [B, T]
   */
  public static NDArray cumulativeWeightedMse(NDArray predictions, NDArray targets, NDArray mask) {
    NDArray m = floatMask(mask);
    NDArray rank = m.cumSum(1).mul(m); // t = 1..L on real tokens, 0 on padding
    NDArray length = m.sum(new int[] {1}, true); // [B, 1]
    NDArray weights = rank.mul(2f).div(length.mul(length.add(1f)).maximum(1f)); // sums to 1
    NDArray sq = predictions.sub(targets.expandDims(1)).square().sum(new int[] {2}); // [B, T]
    return sq.mul(weights).sum().div(predictions.getShape().get(0));
  }

  /**
   * Plain mean squared error over real positions and labels (ARM distillation onto RAD's scores).
   *
   * @param student [B, T, J]
   * @param teacher [B, T, J] (constant)
   * @param mask [B, T]
   */
  public static NDArray distillationMse(NDArray student, NDArray teacher, NDArray mask) {
    NDArray m = floatMask(mask);
    long labels = student.getShape().get(2);
    NDArray sq = student.sub(teacher).square().sum(new int[] {2}); // [B, T]
    return sq.mul(m).sum().div(m.sum().mul(labels).maximum(1f));
  }

  /**
   * Plain mean squared error over every element (ARM's candidate distillation: student scores
   * against the teacher's, {@code [P, k, L]}).
   *
   * @param student any shape
   * @param teacher the same shape (constant)
   */
  public static NDArray meanSquaredError(NDArray student, NDArray teacher) {
    return student.sub(teacher).square().mean();
  }

  /**
   * Mean squared error of scores centred per candidate set: {@code (s - mean_k s) - (t - mean_k t)}
   * over {@code [P, k, L]}, so only how the candidates of one prefix differ counts, not the
   * prefix's level.
   */
  public static NDArray centredMeanSquaredError(NDArray student, NDArray teacher) {
    NDArray s = student.sub(student.mean(new int[] {1}, true));
    NDArray t = teacher.sub(teacher.mean(new int[] {1}, true));
    return s.sub(t).square().mean();
  }

  /**
   * ARM's baseline-prior regulariser: mean over real positions and labels of the squared delta of a
   * token drawn at random for each position; zero exactly when those deltas are zero.
   *
   * @param randomTokenDeltas [B, T, J] = delta_j(x_&lt;t, v'_t)
   * @param mask [B, T]
   */
  public static NDArray deltaRegulariser(NDArray randomTokenDeltas, NDArray mask) {
    NDArray m = floatMask(mask);
    long labels = randomTokenDeltas.getShape().get(2);
    NDArray sq = randomTokenDeltas.square().sum(new int[] {2});
    return sq.mul(m).sum().div(m.sum().mul(labels).maximum(1f));
  }

  private static NDArray floatMask(NDArray mask) {
    return mask.getDataType() == DataType.FLOAT32 ? mask : mask.toType(DataType.FLOAT32, false);
  }

  /**
   * Weighted binary cross-entropy of per-prefix logits against per-prefix targets (the reply-set
   * reward models: one sigmoid head per label), {@code sum(w * bce) / (sum(w) * L)}; numerically
   * stable form {@code max(z, 0) - z y + log(1 + exp(-|z|))}.
   *
   * @param logits [B, T, L]
   * @param targets [B, T, L] in [0, 1]
   * @param weights [B, T], 0 on padding and on positions left out
   */
  public static NDArray prefixBce(NDArray logits, NDArray targets, NDArray weights) {
    NDArray bce =
        logits
            .maximum(0f)
            .sub(logits.mul(targets))
            .add(logits.abs().neg().exp().add(1f).log()); // [B, T, L]
    long labels = logits.getShape().get(2);
    NDArray perPosition = bce.sum(new int[] {2}); // [B, T]
    return perPosition.mul(weights).sum().div(weights.sum().mul(labels).maximum(1e-6f));
  }
}
