package io.armguard.model;

/** How a {@link Backbone}'s self-attention sees the sequence. */
public enum AttentionMode {
  /**
   * Each position sees every real (unmasked) position, before and after it: BERT as pretrained and
   * exported (classification, sentence embeddings). No KV cache.
   */
  BIDIRECTIONAL,
  /**
   * Each position sees the real positions up to and including itself: GPT-2, and BERT with {@code
   * is_decoder: true} (prefix scoring, ARM/RAD guidance, a causal LM). Supports a {@link KvCache}.
   */
  CAUSAL
}
