package io.armguard.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import com.google.gson.JsonObject;
import io.armguard.data.BinaryMetrics;
import io.armguard.reward.RewardModel;

/**
 * Scores whole texts with a reward model (the steering label's raw score after the last real token:
 * RAD rho(x), ARM r(x_&lt;L, x_L)) and measures AUC and accuracy (threshold 0.5) against labels.
 */
public final class RewardScoring {
  private RewardScoring() {}

  public static double[] scores(RewardModel model, LabelledBatches data, NDManager root) {
    double[] out = new double[data.size()];
    int label = model.info().steeringIndex();
    int batch = 32;
    for (int start = 0; start < data.size(); start += batch) {
      int n = Math.min(batch, data.size() - start);
      int[] indices = new int[n];
      for (int i = 0; i < n; i++) {
        indices[i] = start + i;
      }
      try (NDManager m = root.newSubManager()) {
        NDList b = data.batch(indices, m);
        NDArray s = model.prefixScores(b.get(0), b.get(1), false); // [B, T, L]
        long[] mask = b.get(1).toLongArray();
        float[] values = s.toFloatArray();
        long t = b.get(0).getShape().get(1);
        long labels = s.getShape().get(2);
        for (int i = 0; i < n; i++) {
          int last = 0;
          for (int j = 0; j < t; j++) {
            if (mask[(int) (i * t + j)] == 1) {
              last = j;
            }
          }
          out[start + i] = values[(int) ((i * t + last) * labels + label)];
        }
      }
    }
    return out;
  }

  public static JsonObject metrics(RewardModel model, LabelledBatches data, NDManager root) {
    double[] s = scores(model, data, root);
    int[] y = new int[data.size()];
    for (int i = 0; i < y.length; i++) {
      y[i] = data.label(i);
    }
    JsonObject o = new JsonObject();
    o.addProperty("n", y.length);
    o.addProperty("auc", CardNumbers.round(BinaryMetrics.auc(s, y)));
    o.addProperty("accuracy", CardNumbers.round(BinaryMetrics.accuracy(s, y, 0.5)));
    return o;
  }
}
