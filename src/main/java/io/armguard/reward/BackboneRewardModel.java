package io.armguard.reward;

import ai.djl.ndarray.NDArray;
import ai.djl.nn.Parameter;
import io.armguard.model.Backbone;
import io.armguard.model.TextTokenizer;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What both reward models hold, whatever their head: the causal backbone, the {@code armguard.json}
 * metadata, the saved tokenizer and the id, checked once at construction (metadata of the model's
 * kind, causal attention). The head is the subclass's; this class reaches it only through {@link
 * #headParameters()}. Thread-safety as {@link RewardModel}.
 */
abstract sealed class BackboneRewardModel implements RewardModel
    permits RadRewardModel, ArmRewardModel {

  private final Backbone backbone;
  private final RewardModelInfo info;
  private final TextTokenizer tokenizer;
  private final String id;

  /**
   * @param kind the subclass's kind, which {@code info} must record
   * @param tokenizer null when the model has none
   * @throws IllegalArgumentException for metadata of another kind or a bidirectional backbone
   */
  BackboneRewardModel(
      RewardKind kind,
      Backbone backbone,
      RewardModelInfo info,
      TextTokenizer tokenizer,
      String id) {
    if (info.kind() != kind) {
      throw new IllegalArgumentException(
          "armguard.json kind is " + info.kind() + ", not " + kind.jsonName());
    }
    RewardModels.requireCausal(backbone);
    this.backbone = backbone;
    this.info = info;
    this.tokenizer = tokenizer;
    this.id = id;
  }

  /** The head's parameters by file name, in the order they are stored. */
  abstract Map<String, Parameter> headParameters();

  @Override
  public final int maxTokens() {
    // ARM: BOS takes the place of the last token's input, so the context is the backbone's too
    return backbone.config().maxPositions();
  }

  @Override
  public final RewardModelInfo info() {
    return info;
  }

  @Override
  public final Backbone backbone() {
    return backbone;
  }

  @Override
  public final TextTokenizer tokenizer() {
    return tokenizer;
  }

  @Override
  public final String id() {
    return id;
  }

  /** The backbone's parameters in checkpoint order, then the head's. */
  @Override
  public Map<String, Parameter> trainableParameters() {
    Map<String, Parameter> m = new LinkedHashMap<>(backbone.namedParameters());
    m.putAll(headParameters());
    return m;
  }

  @Override
  public final Map<String, NDArray> headTensors() {
    Map<String, NDArray> m = new LinkedHashMap<>();
    headParameters().forEach((k, p) -> m.put(k, p.getArray()));
    return m;
  }
}
