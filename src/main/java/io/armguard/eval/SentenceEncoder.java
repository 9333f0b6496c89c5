package io.armguard.eval;

import java.util.List;
import java.util.function.IntConsumer;

/**
 * A frozen sentence encoder: each text to one fixed-size vector. Implementations are thread-safe
 * and deterministic (the same text always gives the same vector).
 */
public interface SentenceEncoder {
  /** Identifies the encoder in model cards and {@code judge.json}. */
  String id();

  /** Length of every vector {@link #embed} returns. */
  int dimension();

  /**
   * Embeds the texts in order; {@code progress} receives the number of texts done after each batch.
   * Blank texts are allowed.
   */
  float[][] embed(List<String> texts, IntConsumer progress);
}
