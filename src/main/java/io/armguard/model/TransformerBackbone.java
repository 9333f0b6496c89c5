package io.armguard.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.ndarray.types.SparseFormat;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Parameter;
import ai.djl.nn.core.Embedding;
import ai.djl.nn.norm.LayerNorm;
import ai.djl.training.ParameterStore;
import ai.djl.training.initializer.Initializer;
import ai.djl.util.PairList;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Function;

/**
 * What the two {@link Backbone} layouts ({@link GptBackbone}, {@link BertBackbone}) share: their
 * parameters registered by Hugging Face name, the forward pass around the blocks (mask check,
 * intermediates in a sub-manager, the {@link KvCache} advanced once every layer has appended),
 * multi-head attention over an optional cache, and the DJL entry point. A layout supplies its
 * embeddings, its blocks' projections and LayerNorm placement, and what follows the last block.
 *
 * <p>Thread-safety as {@link Backbone}: nothing here holds per-call state.
 */
abstract sealed class TransformerBackbone extends AbstractBlock implements Backbone
    permits GptBackbone, BertBackbone {

  private final float layerNormEpsilon;

  /** {@code layerNormEpsilon}: of every LayerNorm of the layout. */
  TransformerBackbone(float layerNormEpsilon) {
    this.layerNormEpsilon = layerNormEpsilon;
  }

  /**
   * Sets libtorch's global seed and initialises {@code backbone} in {@code manager} (float32): the
   * layout's random initialisation, reproducible for a seed. Do not initialise concurrently.
   */
  static <B extends TransformerBackbone> B initialized(B backbone, NDManager manager, int seed) {
    ai.djl.engine.Engine.getInstance().setRandomSeed(seed);
    backbone.initialize(manager, DataType.FLOAT32);
    return backbone;
  }

  /** Registers a parameter; registration order is {@link #namedParameters()}'s. */
  final Parameter param(String name, Shape shape, Initializer init) {
    return addParameter(
        Parameter.builder()
            .setName(name)
            .setType(Parameter.Type.OTHER)
            .optShape(shape)
            .optInitializer(init)
            .build());
  }

  /**
   * Parameters by Hugging Face name, in the order the layout registered them (the checkpoint's).
   */
  @Override
  public final Map<String, Parameter> namedParameters() {
    Map<String, Parameter> out = new LinkedHashMap<>();
    for (var pair : getDirectParameters()) {
      out.put(pair.getKey(), pair.getValue());
    }
    return out;
  }

  /**
   * The forward pass of {@link Backbone#hidden}: embeddings, the attention bias, every block, then
   * {@link #afterBlocks}. Intermediates live in a sub-manager closed before returning unless {@code
   * training}; the result is in {@code inputIds}' manager.
   *
   * @param embeddings the layout's input embeddings [B, T, d], given the scope to create them in
   * @throws IllegalArgumentException when the mask does not have past + T columns
   */
  final NDArray forward(
      NDArray inputIds,
      NDArray attentionMask,
      KvCache cache,
      boolean causal,
      boolean training,
      Function<NDManager, NDArray> embeddings) {
    NDManager out = inputIds.getManager();
    NDManager scope = training ? out : out.newSubManager();
    try {
      long b = inputIds.getShape().get(0);
      long t = inputIds.getShape().get(1);
      int past = cache == null ? 0 : cache.length();
      if (attentionMask.getShape().get(1) != past + t) {
        throw new IllegalArgumentException(
            "attention mask has "
                + attentionMask.getShape().get(1)
                + " columns, expected past + T = "
                + (past + t));
      }
      NDArray x = embeddings.apply(scope);
      NDArray bias =
          causal
              ? AttentionBias.causal(attentionMask, past, t, scope)
              : AttentionBias.bidirectional(attentionMask, scope);
      for (int i = 0; i < config().layerCount(); i++) {
        x = block(i, x, bias, cache, b, t);
      }
      if (cache != null) {
        cache.advance((int) t);
      }
      NDArray h = afterBlocks(x);
      if (!training) {
        h.attach(out);
      }
      return h;
    } finally {
      if (!training) {
        scope.close();
      }
    }
  }

  /**
   * Block {@code layer}: {@code x} [B, T, d] to the block's output, appending this layer's keys and
   * values to {@code cache} when given.
   */
  abstract NDArray block(int layer, NDArray x, NDArray bias, KvCache cache, long b, long t);

  /** What follows the last block (GPT-2: {@code ln_f}); none by default. */
  NDArray afterBlocks(NDArray x) {
    return x;
  }

  /**
   * Scaled dot-product attention of block {@code layer}, all heads at once: the projected queries,
   * keys and values [B, T, d] split into heads, the keys and values extended by {@code cache} (when
   * given), and the heads' context joined back to [B, T, d] (before the output projection).
   */
  final NDArray attention(
      int layer, NDArray q, NDArray k, NDArray v, NDArray bias, KvCache cache, long b, long t) {
    int h = config().headCount();
    int hd = config().hiddenSize() / h;
    NDArray qh = q.reshape(b, t, h, hd).transpose(0, 2, 1, 3).mul((float) (1.0 / Math.sqrt(hd)));
    NDArray kT = k.reshape(b, t, h, hd).transpose(0, 2, 3, 1);
    NDArray vh = v.reshape(b, t, h, hd).transpose(0, 2, 1, 3);
    if (cache != null) {
      NDArray[] kv = cache.append(layer, kT, vh);
      kT = kv[0];
      vh = kv[1];
    }
    // q first: scores and everything after them belong to the step's manager, not the cache's
    NDArray scores = qh.matMul(kT).add(bias);
    return scores.softmax(-1).matMul(vh).transpose(0, 2, 1, 3).reshape(b, t, (long) h * hd);
  }

  /** LayerNorm over the hidden size with the layout's epsilon. */
  final NDArray layerNorm(NDArray x, Parameter w, Parameter bias) {
    return LayerNorm.layerNorm(
            x, new Shape(config().hiddenSize()), w.getArray(), bias.getArray(), layerNormEpsilon)
        .head();
  }

  /** Rows of {@code table} for {@code ids}, owned by {@code scope}. */
  static NDArray embed(NDArray ids, Parameter table, NDManager scope) {
    return own(Embedding.embedding(ids, table.getArray(), SparseFormat.DENSE).head(), scope);
  }

  /** {@code a}, attached to {@code scope} unless it already belongs to it. */
  static NDArray own(NDArray a, NDManager scope) {
    if (a.getManager() != scope) {
      a.attach(scope);
    }
    return a;
  }

  /** DJL entry point: inputs {ids, positionIds, attentionMask} -> {hidden}; no cache. */
  @Override
  protected final NDList forwardInternal(
      ParameterStore parameterStore,
      NDList inputs,
      boolean training,
      PairList<String, Object> params) {
    return new NDList(hidden(inputs.get(0), inputs.get(1), inputs.get(2), null, training));
  }

  @Override
  public final Shape[] getOutputShapes(Shape[] inputShapes) {
    Shape ids = inputShapes[0];
    return new Shape[] {new Shape(ids.get(0), ids.get(1), config().hiddenSize())};
  }
}
