package io.armguard.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.core.Linear;

/**
 * A causal {@link Backbone} with an output projection tied to its token embedding: logits = hidden
 * · Eᵀ (GPT-2's {@code wte}; for BERT the word embeddings, a plain tied head without BERT's MLM
 * transform, so the LM adds no parameters). Shares the backbone's weights.
 *
 * <p>{@link #forInference()} keeps a contiguous copy of wteᵀ: libtorch multiplies a few rows by the
 * [V, d] embedding's transpose view about 2.8x slower than by a contiguous [d, V] matrix (batch 1,
 * d=256, V=50257: 5.4 ms vs 1.9 ms on one core), which dominates a small model's decoding step. The
 * copy is a snapshot: use it only while the weights do not change (not while training).
 */
public final class CausalLm {

  private final Backbone backbone;
  private final NDArray headT; // null: compute with the live wte

  /**
   * @throws IllegalArgumentException for a bidirectional backbone (a BERT with {@code is_decoder:
   *     false}): next-token logits need causal attention
   */
  public CausalLm(Backbone backbone) {
    this(backbone, null);
    if (backbone.attentionMode() != AttentionMode.CAUSAL) {
      throw new IllegalArgumentException(
          "a causal LM needs a causal backbone; this "
              + backbone.config().modelType()
              + " is "
              + backbone.attentionMode()
              + " (for BERT set is_decoder: true, BertConfig.withAttention(CAUSAL))");
    }
  }

  private CausalLm(Backbone backbone, NDArray headT) {
    this.backbone = backbone;
    this.headT = headT;
  }

  /**
   * The same model with a contiguous snapshot of wteᵀ ({@code V x d} floats more, in the weights'
   * manager) for faster logits. The snapshot does not follow later changes to wte.
   */
  public CausalLm forInference() {
    if (headT != null) {
      return this;
    }
    NDArray wte = backbone.tokenEmbedding();
    long v = wte.getShape().get(0);
    long d = wte.getShape().get(1);
    float[] w = wte.toFloatArray();
    float[] t = new float[w.length];
    for (int i = 0; i < v; i++) {
      for (int j = 0; j < d; j++) {
        t[(int) (j * v + i)] = w[(int) (i * d + j)];
      }
    }
    NDArray copy = wte.getManager().create(t, new Shape(d, v));
    copy.setName("lm_head.weightT");
    return new CausalLm(backbone, copy);
  }

  public Backbone backbone() {
    return backbone;
  }

  public BackboneConfig config() {
    return backbone.config();
  }

  /**
   * Vocabulary logits of hidden states {@code [..., d] -> [..., V]}; the result belongs to {@code
   * hidden}'s manager (the activation is the first operand, so nothing lands in the weights'
   * manager).
   */
  public NDArray logits(NDArray hidden) {
    if (headT != null) {
      return hidden.matMul(headT);
    }
    return Linear.linear(hidden, backbone.tokenEmbedding()).head();
  }

  /** Logits of the last position of every row: {@code [B, T, d] -> [B, V]}. */
  public NDArray lastLogits(NDArray hidden) {
    return logits(hidden.get(new NDIndex(":, -1, :")));
  }
}
