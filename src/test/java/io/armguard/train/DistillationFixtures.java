package io.armguard.train;

import ai.djl.ndarray.NDManager;
import io.armguard.model.BackboneConfig;
import io.armguard.model.CausalLm;
import io.armguard.model.GptBackbone;
import io.armguard.model.GptConfig;
import io.armguard.model.TextTokenizer;
import io.armguard.reward.ArmRewardModel;
import io.armguard.reward.RadRewardModel;
import io.armguard.reward.RewardKind;
import io.armguard.reward.RewardModelInfo;
import io.armguard.reward.RewardModels;
import io.armguard.reward.ScoreOutput;
import java.util.List;

/**
 * Tiny random models for the candidate-distillation tests: GPT-2 shapes on one 300-token vocabulary
 * (the reward tests' tokenizer), labels {@code insult, toxicity} steering on toxicity.
 */
final class DistillationFixtures {
  static final List<String> LABELS = List.of("insult", "toxicity");
  static final int MERGES = 43; // 256 bytes + 43 merges + <|endoftext|> = 300 ids

  private DistillationFixtures() {}

  static GptConfig config() {
    return GptConfig.of(300, 64, 32, 2, 4);
  }

  static RewardModelInfo info(RewardKind kind, ScoreOutput output) {
    return new RewardModelInfo(kind, LABELS, "toxicity", "AWAY_FROM_LABEL", "test", output);
  }

  /**
   * A RAD teacher with a calibrated sigmoid output and a head scaled so its logits spread over a
   * few units (a random head's are ~0.02 wide: nothing to rank).
   */
  static RadRewardModel teacher(
      BackboneConfig config, TextTokenizer tok, NDManager m, int seed, float headScale) {
    RadRewardModel rad =
        (RadRewardModel)
            RewardModels.random(
                config,
                info(
                    RewardKind.RAD,
                    ScoreOutput.sigmoid(new float[] {1.5f, 0.8f}, new float[] {0.2f, -0.3f})),
                tok,
                m,
                seed);
    rad.head().parameters().values().forEach(p -> p.getArray().muli(headScale));
    return rad;
  }

  static ArmRewardModel student(BackboneConfig config, TextTokenizer tok, NDManager m, int seed) {
    return (ArmRewardModel)
        RewardModels.random(config, info(RewardKind.ARM, ScoreOutput.sigmoid(2)), tok, m, seed);
  }

  static CausalLm lm(GptConfig config, NDManager m, int seed) {
    return new CausalLm(GptBackbone.randomlyInitialized(config, m, seed));
  }

  static CandidateDistillationSettings settings(int k, int positions, int batch) {
    return new CandidateDistillationSettings(
        java.nio.file.Path.of("teacher"), java.nio.file.Path.of("lm"), k, positions, batch, 1f);
  }
}
