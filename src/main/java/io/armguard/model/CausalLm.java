package io.armguard.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.nn.core.Linear;

/**
 * A {@link GptBackbone} with GPT-2's tied output projection: logits = hidden · wteᵀ. Shares the
 * backbone's weights; holds no native memory of its own.
 */
public final class CausalLm {

  private final GptBackbone backbone;

  public CausalLm(GptBackbone backbone) {
    this.backbone = backbone;
  }

  public GptBackbone backbone() {
    return backbone;
  }

  public GptConfig config() {
    return backbone.config();
  }

  /**
   * Vocabulary logits of hidden states {@code [..., d] -> [..., V]}; the result belongs to {@code
   * hidden}'s manager (the activation is the first operand, so nothing lands in the weights'
   * manager).
   */
  public NDArray logits(NDArray hidden) {
    return Linear.linear(hidden, backbone.tokenEmbedding()).head();
  }

  /** Logits of the last position of every row: {@code [B, T, d] -> [B, V]}. */
  public NDArray lastLogits(NDArray hidden) {
    return logits(hidden.get(new NDIndex(":, -1, :")));
  }
}
