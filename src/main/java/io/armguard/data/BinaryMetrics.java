package io.armguard.data;

import java.util.Arrays;
import java.util.Comparator;

/** Ranking and threshold metrics of scores against binary labels. */
public final class BinaryMetrics {
  private BinaryMetrics() {}

  /** Area under the ROC curve (Mann-Whitney U, ties count one half). */
  public static double auc(double[] scores, int[] labels) {
    Integer[] order = new Integer[scores.length];
    for (int i = 0; i < order.length; i++) {
      order[i] = i;
    }
    Arrays.sort(order, Comparator.comparingDouble(i -> scores[i]));
    double rankSumPositives = 0;
    long positives = 0;
    int i = 0;
    while (i < order.length) {
      int j = i;
      while (j + 1 < order.length && scores[order[j + 1]] == scores[order[i]]) {
        j++;
      }
      double averageRank = (i + j) / 2.0 + 1;
      for (int k = i; k <= j; k++) {
        if (labels[order[k]] == 1) {
          rankSumPositives += averageRank;
          positives++;
        }
      }
      i = j + 1;
    }
    long negatives = scores.length - positives;
    if (positives == 0 || negatives == 0) {
      return Double.NaN;
    }
    return (rankSumPositives - positives * (positives + 1) / 2.0) / (positives * negatives);
  }

  /** Share of items where (score >= threshold) equals (label == 1). */
  public static double accuracy(double[] scores, int[] labels, double threshold) {
    int correct = 0;
    for (int i = 0; i < scores.length; i++) {
      if ((scores[i] >= threshold) == (labels[i] == 1)) {
        correct++;
      }
    }
    return scores.length == 0 ? Double.NaN : (double) correct / scores.length;
  }

  /** Share of positives scored at or above {@code threshold} (NaN without positives). */
  public static double recall(double[] scores, int[] labels, double threshold) {
    return flaggedShare(scores, labels, threshold, 1);
  }

  /** Share of negatives scored at or above {@code threshold} (NaN without negatives). */
  public static double falsePositiveRate(double[] scores, int[] labels, double threshold) {
    return flaggedShare(scores, labels, threshold, 0);
  }

  private static double flaggedShare(double[] scores, int[] labels, double threshold, int label) {
    int n = 0;
    int flagged = 0;
    for (int i = 0; i < scores.length; i++) {
      if (labels[i] == label) {
        n++;
        if (scores[i] >= threshold) {
          flagged++;
        }
      }
    }
    return n == 0 ? Double.NaN : (double) flagged / n;
  }
}
