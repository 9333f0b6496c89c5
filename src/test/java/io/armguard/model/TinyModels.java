package io.armguard.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;

/** Small randomly initialised GPT-2s and an uncached reference forward, for tests. */
public final class TinyModels {

  private TinyModels() {}

  /** V=300, context 64, d=32, 2 layers, 4 heads. */
  public static GptConfig config() {
    return GptConfig.of(300, 64, 32, 2, 4);
  }

  public static CausalLm lm(GptConfig config, NDManager manager, int seed) {
    return new CausalLm(GptBackbone.randomlyInitialized(config, manager, seed));
  }

  /** Logits [T, V] of one unpadded sequence by a full forward without cache. */
  public static float[][] fullLogits(CausalLm lm, int[] tokens, NDManager parent) {
    try (NDManager m = parent.newSubManager()) {
      NDList in = LeftPadding.pad(new int[][] {tokens}, 0, m);
      NDArray h = lm.backbone().hidden(in.get(0), in.get(2), in.get(1), null, false);
      NDArray logits = lm.logits(h.get(new NDIndex("0")));
      int v = lm.config().vocabSize();
      float[] flat = logits.toFloatArray();
      float[][] out = new float[tokens.length][v];
      for (int t = 0; t < tokens.length; t++) {
        System.arraycopy(flat, t * v, out[t], 0, v);
      }
      return out;
    }
  }

  /** Logits of the next token after {@code tokens}, by a full forward without cache. */
  public static float[] nextLogits(CausalLm lm, int[] tokens, NDManager parent) {
    float[][] all = fullLogits(lm, tokens, parent);
    return all[all.length - 1];
  }

  public static float maxAbsDiff(float[] a, float[] b) {
    float m = 0;
    for (int i = 0; i < a.length; i++) {
      m = Math.max(m, Math.abs(a[i] - b[i]));
    }
    return m;
  }
}
