package io.armguard.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;

/** The additive self-attention biases both backbones add to their scores. */
final class AttentionBias {

  private AttentionBias() {}

  /**
   * Causal bias [B, 1, T, S] (S = past + T): 0 where query t may see key s (s is real and not after
   * t), -1e9 elsewhere; [B, 1, 1, S] for a single new token, which sees every cached key.
   */
  static NDArray causal(NDArray attentionMask, int past, long t, NDManager scope) {
    long s = attentionMask.getShape().get(1);
    NDArray keyReal = keyReal(attentionMask, scope);
    if (t == 1) {
      return keyReal.sub(1f).mul(1e9f);
    }
    NDArray keyPos = scope.arange(0f, (float) s).reshape(1, s);
    NDArray queryPos = scope.arange((float) past, (float) (past + t)).reshape(t, 1);
    NDArray causal = keyPos.lte(queryPos).toType(DataType.FLOAT32, false);
    // a finite bias keeps fully masked (padding) query rows finite: their output is never used
    return keyReal.mul(causal).sub(1f).mul(1e9f);
  }

  /** Bidirectional bias [B, 1, 1, S]: 0 for real keys, -1e9 for padding. */
  static NDArray bidirectional(NDArray attentionMask, NDManager scope) {
    return keyReal(attentionMask, scope).sub(1f).mul(1e9f);
  }

  private static NDArray keyReal(NDArray attentionMask, NDManager scope) {
    long s = attentionMask.getShape().get(1);
    NDArray f = attentionMask.toType(DataType.FLOAT32, true);
    if (f.getManager() != scope) {
      f.attach(scope);
    }
    return f.reshape(-1, 1, 1, s);
  }
}
