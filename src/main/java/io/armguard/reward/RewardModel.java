package io.armguard.reward;

import ai.djl.ndarray.NDArray;
import ai.djl.nn.Parameter;
import io.armguard.model.Backbone;
import io.armguard.model.SafetensorsDType;
import io.armguard.model.TextTokenizer;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Map;

/**
 * A reward model: a causal backbone (GPT-2 or BERT with {@code is_decoder}) plus a RAD or ARM head,
 * with its {@code armguard.json} metadata. Weights are read-only during inference and may be shared
 * between threads; training mutates them in place (one trainer at a time).
 */
public sealed interface RewardModel permits BackboneRewardModel {

  RewardModelInfo info();

  Backbone backbone();

  /** The tokenizer saved with the model, or null when it has none. */
  TextTokenizer tokenizer();

  /** {@code directoryName@sha256-prefix} when loaded from a directory, else {@code unsaved}. */
  String id();

  /**
   * Raw (unclamped) scores of every prefix, in one forward pass: {@code out[b, t, j]} is label j's
   * score of the prefix ending with (and including) token {@code ids[b, t]}. Positions where the
   * mask is 0 hold garbage. RAD: rho(x_1..x_t); ARM: r(x_&lt;t, x_t).
   *
   * @param ids int64 [B, T], left- or right-padded
   * @param mask int64 [B, T], 1 = real token
   * @param training whether autograd needs the intermediates (inside a GradientCollector)
   * @return float32 [B, T, L] in {@code ids}' manager
   */
  NDArray prefixScores(NDArray ids, NDArray mask, boolean training);

  /** Longest sequence {@link #prefixScores} accepts (the backbone's context). */
  int maxTokens();

  /** The parameters training updates, by file name (ARM: all but the frozen {@code wte}). */
  Map<String, Parameter> trainableParameters();

  /** The head's tensors by file name, as stored next to the backbone in model.safetensors. */
  Map<String, NDArray> headTensors();

  /** Writes config.json, model.safetensors (backbone + head), tokenizer.json and armguard.json. */
  default void save(Path dir, SafetensorsDType dtype) throws IOException {
    RewardModels.save(this, dir, dtype);
  }
}
