package io.armguard.cli;

import ai.djl.Device;
import ai.djl.ndarray.NDManager;
import io.armguard.model.Gpt2TokenizerBuilder;
import io.armguard.model.GptBackbone;
import io.armguard.model.GptConfig;
import io.armguard.model.ModelDirectory;
import io.armguard.model.SafetensorsDType;
import io.armguard.model.TextTokenizer;
import io.armguard.reward.RewardKind;
import io.armguard.reward.RewardModel;
import io.armguard.reward.RewardModelInfo;
import io.armguard.reward.RewardModels;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * Writes a small randomly initialised language model and ARM reward model (same tokenizer) in
 * Hugging Face layout: what {@code demo} and the real-broker tests use when the trained default
 * models are not there. Untrained models decode noise and score arbitrarily; say so when used.
 */
public final class RandomModelDirs {

  /** BPE merges kept: vocabulary 256 + 1000 + 1. */
  static final int MERGES = 1000;

  private RandomModelDirs() {}

  /** The two directories written by {@link #write}. */
  public record Dirs(Path lm, Path reward) {}

  /** Writes {@code base/lm} and {@code base/reward-arm}; returns their paths. */
  public static Dirs write(Path base, int seed) throws IOException {
    int vocab = Gpt2TokenizerBuilder.vocabSize(MERGES);
    GptConfig lmConfig = GptConfig.of(vocab, 128, 64, 2, 4);
    GptConfig rmConfig = GptConfig.of(vocab, 128, 64, 1, 4);
    Path lmDir = base.resolve("lm");
    Path rewardDir = base.resolve("reward-arm");
    try (NDManager manager = NDManager.newBaseManager(Device.cpu());
        TextTokenizer tokenizer = TextTokenizer.gpt2(MERGES)) {
      GptBackbone lm = GptBackbone.randomlyInitialized(lmConfig, manager, seed);
      ModelDirectory.save(lmDir, lm, Map.of(), tokenizer, SafetensorsDType.F32);
      RewardModel reward =
          RewardModels.random(
              rmConfig,
              RewardModelInfo.detox(RewardKind.ARM, List.of("toxicity"), "random"),
              tokenizer,
              manager,
              seed + 1);
      reward.save(rewardDir, SafetensorsDType.F32);
    }
    return new Dirs(lmDir, rewardDir);
  }
}
