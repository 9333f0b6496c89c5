package io.armguard.data;

import com.google.gson.JsonObject;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Metrics of a reward model on labelled replies, scored the way MODERATE scores them (the reply
 * alone, every prefix in one pass): for the steering label AUC, recall and false-positive rate at
 * the threshold; per category the AUC of that category against every reply without it; per kind
 * (the writers' tags) the share flagged. Pure function of its inputs.
 */
public final class ReplyMetrics {
  private ReplyMetrics() {}

  /**
   * @param items the labelled replies
   * @param scores each item's scores of the whole reply (in [0, 1]) by label, same order
   * @param steeringLabel the label whose final score decides (e.g. {@code toxicity})
   * @param threshold the decision threshold (a reply scoring at or above it is flagged)
   */
  public static JsonObject of(
      List<ReplyItem> items,
      List<Map<String, Float>> scores,
      String steeringLabel,
      double threshold) {
    int n = items.size();
    double[] s = new double[n];
    int[] y = new int[n];
    for (int i = 0; i < n; i++) {
      s[i] = scores.get(i).get(steeringLabel);
      y[i] = items.get(i).toxic() ? 1 : 0;
    }
    JsonObject o = new JsonObject();
    o.addProperty("n", n);
    o.addProperty("toxic", java.util.Arrays.stream(y).sum());
    o.addProperty("label", steeringLabel);
    o.addProperty("threshold", threshold);
    o.addProperty("auc", round(BinaryMetrics.auc(s, y)));
    o.addProperty("recall", round(BinaryMetrics.recall(s, y, threshold)));
    o.addProperty("fpr", round(BinaryMetrics.falsePositiveRate(s, y, threshold)));
    o.addProperty("accuracy", round(BinaryMetrics.accuracy(s, y, threshold)));
    JsonObject categories = new JsonObject();
    Map<String, Float> first = scores.isEmpty() ? Map.of() : scores.get(0);
    for (String c : ReplyLabels.CATEGORIES) {
      if (!first.containsKey(c)) {
        continue;
      }
      double[] cs = new double[n];
      int[] cy = new int[n];
      for (int i = 0; i < n; i++) {
        cs[i] = scores.get(i).get(c);
        cy[i] = items.get(i).categories().contains(c) ? 1 : 0;
      }
      JsonObject co = new JsonObject();
      co.addProperty("positives", java.util.Arrays.stream(cy).sum());
      co.addProperty("auc", round(BinaryMetrics.auc(cs, cy)));
      categories.add(c, co);
    }
    o.add("categories", categories);
    Map<String, int[]> kinds = new TreeMap<>();
    for (int i = 0; i < n; i++) {
      int[] k = kinds.computeIfAbsent(items.get(i).kind(), x -> new int[2]);
      k[0]++;
      if (s[i] >= threshold) {
        k[1]++;
      }
    }
    JsonObject byKind = new JsonObject();
    kinds.forEach(
        (k, c) -> {
          JsonObject ko = new JsonObject();
          ko.addProperty("n", c[0]);
          ko.addProperty("flagged", round((double) c[1] / c[0]));
          byKind.add(k, ko);
        });
    o.add("flagged_by_kind", byKind);
    return o;
  }

  public static double round(double v) {
    return Double.isNaN(v) ? v : Math.round(v * 1e4) / 1e4;
  }
}
