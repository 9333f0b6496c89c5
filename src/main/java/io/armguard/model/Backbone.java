package io.armguard.model;

import ai.djl.ndarray.NDArray;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import java.util.Map;

/**
 * The contract every transformer trunk in armguard meets ({@link GptBackbone}, {@link
 * BertBackbone}): what {@link CausalLm}, the reward models, the decoder and the trainers call.
 *
 * <ul>
 *   <li><b>Forward</b>: {@link #hidden} over T new positions of a left- or right-padded batch, with
 *       explicit position ids ({@link LeftPadding#positionIds}) and an optional {@link KvCache}. In
 *       causal mode a row's output never depends on its batch mates or on its padding, and cached
 *       steps equal a full recomputation (float32 summation order aside).
 *   <li><b>Parameters</b> carry the Hugging Face names of the architecture, in the order the
 *       checkpoint lists them; {@link ModelDirectory} reads and writes them unchanged.
 *   <li><b>Token embedding</b> [V, d]: the tied LM head's matrix and ARM's frozen E.
 * </ul>
 *
 * <p>Lifecycle: construct, then {@code initialize(manager, FLOAT32)} (or load through {@link
 * ModelDirectory}); the parameters live in that manager. Thread-safety: the weights are read-only
 * during inference and may be shared by threads; each thread brings its own arrays, managers and
 * caches. Training mutates the parameters in place (one trainer at a time).
 */
public interface Backbone extends Block {

  /** Shape and special ids. */
  BackboneConfig config();

  /** How {@link #hidden} attends. */
  AttentionMode attentionMode();

  /**
   * Runs the transformer over {@code T} new positions.
   *
   * @param inputIds int64 {@code [B, T]}
   * @param positionIds int64 {@code [B, T]}
   * @param attentionMask int64 {@code [B, past + T]}: 1 = real token, 0 = padding; {@code past} is
   *     the cache length (0 without a cache)
   * @param cache nullable; when given it is extended in place by the T new positions (causal mode
   *     only)
   * @param training whether autograd needs the intermediates (kept in the inputs' manager); when
   *     false, intermediates are freed before returning
   * @return {@code [B, T, d]} last hidden states, owned by {@code inputIds}' manager
   */
  NDArray hidden(
      NDArray inputIds,
      NDArray positionIds,
      NDArray attentionMask,
      KvCache cache,
      boolean training);

  /** The token embedding [V, d] (the live parameter; do not close it). */
  NDArray tokenEmbedding();

  /** Name of the token embedding among {@link #namedParameters()} (frozen for ARM). */
  String tokenEmbeddingName();

  /** Parameters by Hugging Face name, in checkpoint order. */
  Map<String, Parameter> namedParameters();

  /**
   * Where a parameter sits, for freezing the bottom of the network: -1 for the embeddings (token,
   * position, token type and, for BERT, the embedding LayerNorm), {@code i} for block {@code i},
   * {@code layerCount} for what follows the last block (GPT-2's {@code ln_f}).
   *
   * @throws IllegalArgumentException for a name that is not one of {@link #namedParameters()}
   */
  int layerOf(String parameterName);
}
