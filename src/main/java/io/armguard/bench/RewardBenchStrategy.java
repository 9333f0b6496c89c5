package io.armguard.bench;

import ai.djl.ndarray.NDManager;
import io.armguard.decode.GuidanceProvider;
import io.armguard.decode.RewardGuidanceProvider;
import io.armguard.decode.Strategy;
import io.armguard.model.BackboneConfig;
import io.armguard.model.CausalLm;
import io.armguard.reward.RewardKind;
import io.armguard.reward.RewardModel;
import io.armguard.reward.RewardModelInfo;
import io.armguard.reward.RewardModels;
import java.nio.file.Path;
import java.util.List;

/**
 * ARM or RAD guidance for {@code bench decode}: a reward model loaded from a directory, or, without
 * one, a randomly initialised reward model of the LM's shape with {@code rmLayers} layers and the
 * seven Jigsaw labels (speed does not depend on the weights). The model is made once per benchmark.
 */
public final class RewardBenchStrategy implements DecodeBenchStrategy {

  /** The labels of the papers' toxicity reward models. */
  public static final List<String> JIGSAW_LABELS =
      List.of(
          "toxicity",
          "severe_toxicity",
          "obscene",
          "identity_attack",
          "insult",
          "threat",
          "sexual_explicit");

  private final RewardKind kind;
  private final int rmLayers;
  private final Path dir;
  private GuidanceProvider provider;

  /**
   * @param kind ARM or RAD
   * @param rmLayers layers of the random reward model (ignored when {@code dir} is given)
   * @param dir a reward model directory of this kind, or null for a random model
   */
  public RewardBenchStrategy(RewardKind kind, int rmLayers, Path dir) {
    this.kind = kind;
    this.rmLayers = rmLayers;
    this.dir = dir;
  }

  @Override
  public String name() {
    return kind.jsonName();
  }

  @Override
  public Strategy strategy() {
    return kind == RewardKind.ARM ? Strategy.ARM : Strategy.RAD;
  }

  @Override
  public GuidanceProvider provider(CausalLm lm, NDManager manager) throws Exception {
    if (provider == null) {
      RewardModel model;
      if (dir != null) {
        model = RewardModels.load(dir, manager);
        if (model.tokenizer() != null) {
          model.tokenizer().close(); // token ids are random here: no tokenizer needed
        }
        if (model.info().kind() != kind) {
          throw new IllegalArgumentException(
              dir + " holds a " + model.info().kind().jsonName() + " model, not " + name());
        }
      } else {
        BackboneConfig rm = lm.config().withLayers(rmLayers);
        model =
            RewardModels.random(
                rm, RewardModelInfo.detox(kind, JIGSAW_LABELS, "random"), null, manager, 17);
      }
      provider = new RewardGuidanceProvider(model);
    }
    return provider;
  }
}
