package io.armguard.decode;

import ai.djl.ndarray.NDManager;
import io.armguard.reward.ArmRewardModel;
import io.armguard.reward.RadRewardModel;
import io.armguard.reward.RewardModel;
import java.util.List;

/**
 * Opens {@link ArmGuidance} or {@link RadGuidance} batches for a loaded reward model: an ARM model
 * serves requests of strategy ARM, a RAD model those of strategy RAD. Shares the model's weights
 * between batches and threads.
 */
public final class RewardGuidanceProvider implements GuidanceProvider {

  private final RewardModel model;
  private final int label;

  /** Steers by the model's own steering label ({@code armguard.json}). */
  public RewardGuidanceProvider(RewardModel model) {
    this(model, model.info().steeringLabel());
  }

  /**
   * Steers by {@code steeringLabel}, one of the model's labels.
   *
   * @throws IllegalArgumentException when the model has no such label
   */
  public RewardGuidanceProvider(RewardModel model, String steeringLabel) {
    this.model = model;
    this.label = labelIndex(model, steeringLabel);
  }

  /** Row of {@code label} in the model's head, or an error naming the model's labels. */
  static int labelIndex(RewardModel model, String label) {
    int i = model.info().labels().indexOf(label);
    if (i < 0) {
      throw new IllegalArgumentException(
          "reward model "
              + model.id()
              + " has no label '"
              + label
              + "'; its labels: "
              + model.info().labels());
    }
    return i;
  }

  /** The strategy a reward model of this kind implements. */
  public static Strategy strategyOf(RewardModel model) {
    return switch (model.info().kind()) {
      case ARM -> Strategy.ARM;
      case RAD -> Strategy.RAD;
    };
  }

  @Override
  public Strategy strategy() {
    return strategyOf(model);
  }

  @Override
  public Guidance open(List<DecodeRequest> requests, NDManager batchManager) {
    if (model instanceof ArmRewardModel arm) {
      return new ArmGuidance(arm, label, requests, batchManager);
    }
    return new RadGuidance((RadRewardModel) model, label, requests, batchManager);
  }
}
