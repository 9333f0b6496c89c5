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

  /** The calibrated probability that {@code x} carries the label. */
  public double probability(float[] x) {
    return 1.0 / (1.0 + Math.exp(-(calibration.scale() * logit(x) + calibration.bias())));
  }

  /** This head with its logit recalibrated by {@code fit}. */
  public JudgeHead calibrated(PlattCalibration.Fit fit) {
    return new JudgeHead(label, classifier, fit);
  }
}
