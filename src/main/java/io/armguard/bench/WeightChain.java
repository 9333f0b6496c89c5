package io.armguard.bench;

import java.util.ArrayList;
import java.util.List;

/**
 * The weight matmuls one GPT-2-style decode step does, attention, norms and sampling left out: per
 * layer the fused QKV projection [d, 3d], the attention output [d, d], the MLP's [d, 4d] and [4d,
 * d]; then the LM head [d, vocab]. What {@code bench decode --roofline} times on a [B, d] input and
 * what its memory and FLOP rooflines count.
 *
 * @param layers transformer blocks
 * @param dModel hidden size d
 * @param vocab LM head width
 */
public record WeightChain(int layers, int dModel, int vocab) {

  public WeightChain {
    if (layers < 0 || dModel < 1 || vocab < 1) {
      throw new IllegalArgumentException("invalid weight chain: " + this);
    }
  }

  /** The matmuls' weight shapes {in, out}, in the order a step runs them. */
  public List<int[]> matmuls() {
    List<int[]> m = new ArrayList<>();
    int d = dModel;
    for (int l = 0; l < layers; l++) {
      m.add(new int[] {d, 3 * d});
      m.add(new int[] {d, d});
      m.add(new int[] {d, 4 * d});
      m.add(new int[] {4 * d, d});
    }
    m.add(new int[] {d, vocab});
    return m;
  }

  /** Weights the chain multiplies by: 12 d² per layer plus d × vocab. */
  public long parameters() {
    long d = dModel;
    return layers * 12L * d * d + d * vocab;
  }

  /** fp32 bytes of those weights: what one step must read at least once. */
  public long weightBytes() {
    return parameters() * Float.BYTES;
  }

  /** Multiply-adds counted as 2 FLOPs: 2 × parameters × batch. */
  public double flopsPerStep(int batch) {
    return 2.0 * parameters() * batch;
  }
}
