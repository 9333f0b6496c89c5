package io.armguard.eval;

import io.armguard.train.PlattCalibration;
import java.util.Objects;

/**
 * The judge's classifier for one label: a logistic regression on the sentence embedding whose logit
 * is then Platt-scaled on the validation batch, so that the output reads as a probability at the
 * validation batch's base rate. Immutable and thread-safe.
 *
 * @param label the label it scores, one of {@link io.armguard.data.ReplyLabels#LABELS}
 * @param classifier the regression on the embedding (its own sigmoid is not used; only its logit)
 * @param calibration the Platt map applied to the logit
 */
public record JudgeHead(
    String label, LogisticRegression classifier, PlattCalibration.Fit calibration) {
  public JudgeHead {
    Objects.requireNonNull(label, "label");
    Objects.requireNonNull(classifier, "classifier");
    Objects.requireNonNull(calibration, "calibration");
  }

  /** An uncalibrated head (identity Platt map): its probability is the regression's own. */
  public static JudgeHead uncalibrated(String label, LogisticRegression classifier) {
    return new JudgeHead(label, classifier, new PlattCalibration.Fit(1f, 0f));
  }

  /** The regression's logit, before calibration. */
  public double logit(float[] x) {
    double z = classifier.bias();
    double[] w = classifier.weights();
    for (int j = 0; j < w.length; j++) {
      z += w[j] * x[j];
    }
    return z;
  }

  /**
   * The calibrated probability that a text carries the label, from the vectors of its pieces
   * ({@link TextSegments}): the highest logit over the pieces, calibrated.
   */
  public double probability(float[][] pieces) {
    return calibrate(maxLogit(pieces));
  }

  /** The highest logit over a text's pieces, before calibration. */
  public double maxLogit(float[][] pieces) {
    double z = Double.NEGATIVE_INFINITY;
    for (float[] x : pieces) {
      z = Math.max(z, logit(x));
    }
    return z;
  }

  private double calibrate(double z) {
    return 1.0 / (1.0 + Math.exp(-(calibration.scale() * z + calibration.bias())));
  }

  /** The calibrated probability that {@code x} carries the label. */
  public double probability(float[] x) {
    return calibrate(logit(x));
  }

  /** This head with its logit recalibrated by {@code fit}. */
  public JudgeHead calibrated(PlattCalibration.Fit fit) {
    return new JudgeHead(label, classifier, fit);
  }
}
