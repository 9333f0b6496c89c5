package io.armguard.eval;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import io.armguard.model.KvCache;
import io.armguard.reward.ArmRewardModel;
import io.armguard.reward.RadRewardModel;
import io.armguard.reward.RewardModel;

/**
 * The N x |V| matrix of a reward model's steering-label scores r(x, v) for N prefixes and every
 * token v: for RAD one prefill per prefix, then the vocabulary in chunks as one-token rows against
 * copies of the prefix's KV cache; for ARM one hidden state per prefix and the (W h) E^T product.
 * Raw (unclamped) scores, as the paper's rank analysis uses.
 */
public final class RewardMatrix {

  private static final int CHUNK = 1024;

  private RewardMatrix() {}

  /** Scores of every token after each prefix ({@code prefixes[i]} non-empty token ids). */
  public static float[][] compute(RewardModel model, int[][] prefixes, NDManager parent) {
    float[][] out = new float[prefixes.length][];
    for (int i = 0; i < prefixes.length; i++) {
      try (NDManager m = parent.newSubManager()) {
        out[i] =
            model instanceof RadRewardModel rad
                ? radRow(rad, prefixes[i], m)
                : armRow((ArmRewardModel) model, prefixes[i], m);
      }
    }
    return out;
  }

  private static float[] radRow(RadRewardModel rad, int[] prefix, NDManager m) {
    int steer = rad.info().steeringIndex();
    int vocab = (int) rad.backbone().tokenEmbedding().getShape().get(0);
    int t = prefix.length;
    long[][] ids = {java.util.Arrays.stream(prefix).asLongStream().toArray()};
    NDArray idArray = m.create(ids);
    NDArray pos = m.arange(0, t, 1, DataType.INT64).reshape(1, t);
    NDArray mask = m.ones(new ai.djl.ndarray.types.Shape(1, t), DataType.INT64);
    float[] row = new float[vocab];
    try (KvCache cache = new KvCache(m, rad.backbone().config().layerCount())) {
      rad.backbone().hidden(idArray, pos, mask, cache, false);
      for (int start = 0; start < vocab; start += CHUNK) {
        int c = Math.min(CHUNK, vocab - start);
        try (NDManager step = m.newSubManager();
            KvCache copies =
                cache.select(step.zeros(new ai.djl.ndarray.types.Shape(c), DataType.INT64))) {
          NDArray tokens = step.arange(start, start + c, 1, DataType.INT64).reshape(c, 1);
          NDArray stepPos =
              step.full(new ai.djl.ndarray.types.Shape(c, 1), (float) t, DataType.INT64);
          NDArray stepMask = step.ones(new ai.djl.ndarray.types.Shape(c, t + 1), DataType.INT64);
          NDArray scores = rad.stepScores(tokens, stepPos, stepMask, copies);
          float[] s = scores.get(new NDIndex(":, 0, {}", steer)).toFloatArray();
          System.arraycopy(s, 0, row, start, c);
        }
      }
    }
    return row;
  }

  private static float[] armRow(ArmRewardModel arm, int[] prefix, NDManager m) {
    int steer = arm.info().steeringIndex();
    int t = prefix.length;
    long[][] ids = {java.util.Arrays.stream(prefix).asLongStream().toArray()};
    // shiftedHidden: the hidden state before each position, BOS prepended; the state after the
    // whole prefix is the one at position t of [BOS, x_1..x_t] -> append a dummy last token.
    long[][] withNext = {java.util.Arrays.copyOf(ids[0], t + 1)};
    NDArray maskNext = m.ones(new ai.djl.ndarray.types.Shape(1, t + 1), DataType.INT64);
    NDArray hidden = arm.shiftedHidden(m.create(withNext), maskNext, false);
    NDArray last = hidden.get(new NDIndex(":, {}, :", t));
    NDArray all = arm.head().allVocabulary(last, arm.embedding()); // [1, L, V]
    NDArray steerRow = all.get(new NDIndex("0, {}, :", steer));
    return steerRow.toFloatArray();
  }
}
