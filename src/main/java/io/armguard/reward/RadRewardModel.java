package io.armguard.reward;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.nn.Parameter;
import io.armguard.model.Backbone;
import io.armguard.model.KvCache;
import io.armguard.model.LeftPadding;
import io.armguard.model.TextTokenizer;
import java.util.Map;

/**
 * RAD's reward model (docs/algorithm.md section 2): a causal transformer whose output is a linear
 * head with bias read at the last token, so the score of prefix x plus candidate c is the head at
 * c's position. Every candidate passes through all layers; {@link #stepScores} scores one new token
 * per row against a {@link KvCache}, which RAD's guidance uses with k cache copies per sequence.
 */
public final class RadRewardModel extends BackboneRewardModel {

  private final RadHead head;

  RadRewardModel(
      Backbone backbone, RadHead head, RewardModelInfo info, TextTokenizer tokenizer, String id) {
    super(RewardKind.RAD, backbone, info, tokenizer, id);
    this.head = head;
  }

  /**
   * A RAD model on {@code backbone} with a new random head (training starts here).
   *
   * @param manager where the head's parameters live (the backbone's)
   */
  public static RadRewardModel withNewHead(
      Backbone backbone, RewardModelInfo info, TextTokenizer tokenizer, NDManager manager) {
    RadHead head = RadHead.random(backbone.config().hiddenSize(), info.labelCount(), manager);
    return new RadRewardModel(backbone, head, info, tokenizer, "unsaved");
  }

  public RadHead head() {
    return head;
  }

  /** Raw scores at every position, {@code [B, T, L]}: rho(x_1..x_t). See {@link #prefixScores}. */
  public NDArray scores(NDArray ids, NDArray mask, boolean training) {
    NDArray pos = LeftPadding.positionIds(mask);
    return head.apply(backbone().hidden(ids, pos, mask, null, training));
  }

  @Override
  public NDArray prefixScores(NDArray ids, NDArray mask, boolean training) {
    return scores(ids, mask, training);
  }

  /**
   * Scores T new tokens per row against {@code cache} (extended in place), inference only.
   *
   * @param ids int64 [N, T]
   * @param positionIds int64 [N, T]
   * @param mask int64 [N, past + T]
   * @return raw scores [N, T, L] in {@code ids}' manager
   */
  public NDArray stepScores(NDArray ids, NDArray positionIds, NDArray mask, KvCache cache) {
    return head.apply(backbone().hidden(ids, positionIds, mask, cache, false));
  }

  @Override
  Map<String, Parameter> headParameters() {
    return head.parameters();
  }
}
