package io.armguard.decode;

import ai.djl.ndarray.NDManager;
import io.armguard.model.CausalLm;
import io.armguard.model.GptBackbone;
import io.armguard.model.TextTokenizer;
import io.armguard.reward.RewardFixtures;
import java.util.List;

/** Tiny random decoding models for engine tests: the fixture LM with an ARM and a RAD model. */
public final class TinyDecodingModels {

  private TinyDecodingModels() {}

  /**
   * The LM (seed 21) with ARM (seed 31) and RAD (seed 32) reward models, all in {@code manager}.
   *
   * @param tokenizer the fixture tokenizer ({@link RewardFixtures#tokenizer()}), closed with the
   *     models
   */
  public static DecodingModels create(NDManager manager, TextTokenizer tokenizer) {
    CausalLm lm =
        new CausalLm(GptBackbone.randomlyInitialized(RewardFixtures.lmConfig(), manager, 21))
            .forInference();
    return new DecodingModels(
        lm,
        tokenizer,
        "tiny-lm@test",
        List.of(
            RewardFixtures.arm(manager, tokenizer, 31), RewardFixtures.rad(manager, tokenizer, 32)),
        manager);
  }
}
