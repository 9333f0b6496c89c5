package io.armguard.reward;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.nn.Parameter;
import io.armguard.model.Backbone;
import io.armguard.model.KvCache;
import io.armguard.model.LeftPadding;
import io.armguard.model.TextTokenizer;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * RAD's reward model (docs/algorithm.md section 2): a causal transformer whose output is a linear
 * head with bias read at the last token, so the score of prefix x plus candidate c is the head at
 * c's position. Every candidate passes through all layers; {@link #stepScores} scores one new token
 * per row against a {@link KvCache}, which RAD's guidance uses with k cache copies per sequence.
 */
public final class RadRewardModel implements RewardModel {

  private final Backbone backbone;
  private final RadHead head;
  private final RewardModelInfo info;
  private final TextTokenizer tokenizer;
  private final String id;

  RadRewardModel(
      Backbone backbone, RadHead head, RewardModelInfo info, TextTokenizer tokenizer, String id) {
    if (info.kind() != RewardKind.RAD) {
      throw new IllegalArgumentException("armguard.json kind is " + info.kind() + ", not rad");
    }
    RewardModels.requireCausal(backbone);
    this.backbone = backbone;
    this.head = head;
    this.info = info;
    this.tokenizer = tokenizer;
    this.id = id;
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
    return head.apply(backbone.hidden(ids, pos, mask, null, training));
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
    return head.apply(backbone.hidden(ids, positionIds, mask, cache, false));
  }

  @Override
  public int maxTokens() {
    return backbone.config().maxPositions();
  }

  @Override
  public RewardModelInfo info() {
    return info;
  }

  @Override
  public Backbone backbone() {
    return backbone;
  }

  @Override
  public TextTokenizer tokenizer() {
    return tokenizer;
  }

  @Override
  public String id() {
    return id;
  }

  @Override
  public Map<String, Parameter> trainableParameters() {
    Map<String, Parameter> m = new LinkedHashMap<>(backbone.namedParameters());
    m.putAll(head.parameters());
    return m;
  }

  @Override
  public Map<String, NDArray> headTensors() {
    Map<String, NDArray> m = new LinkedHashMap<>();
    head.parameters().forEach((k, p) -> m.put(k, p.getArray()));
    return m;
  }
}
