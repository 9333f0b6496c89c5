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

  public RewardGuidanceProvider(RewardModel model) {
    this.model = model;
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
      return new ArmGuidance(arm, requests, batchManager);
    }
    return new RadGuidance((RadRewardModel) model, requests, batchManager);
  }
}
