package io.armguard.bench;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.util.ArrayList;
import java.util.List;

/**
 * Measures, through the same engine and device the decoder uses (DJL NDArray ops, the current
 * libtorch thread setting), what {@code bench decode --roofline} compares a decode step with: the
 * memory read bandwidth (a sum over a large fp32 array, best of N), the fp32 matmul peak (one large
 * square GEMM, best of N), and the {@link WeightChain} of one step on a [B, d] input (median of N
 * after a warm-up). Every timed run ends by reading a scalar back, so queued device work is
 * counted. Used from one thread; closing frees the chain's weights.
 */
public final class RooflineProbe implements AutoCloseable {

  /**
   * How much to measure.
   *
   * @param bandwidthBytes size of the array the bandwidth probe sums
   * @param gemmSize n of the n × n × n matmul the peak probe times
   * @param runs timed runs of each probe (after one untimed)
   */
  public record Settings(long bandwidthBytes, int gemmSize, int runs) {
    public Settings {
      if (bandwidthBytes < Float.BYTES || gemmSize < 1 || runs < 1) {
        throw new IllegalArgumentException("invalid roofline probe settings: " + this);
      }
    }
  }

  private final NDManager manager;
  private final Settings settings;
  private NDManager chainWeights;
  private WeightChain chain;
  private List<NDArray> weights;

  /** Probes on {@code parent}'s device; its own arrays live in sub-managers of it. */
  public RooflineProbe(NDManager parent, Settings settings) {
    this.manager = parent;
    this.settings = settings;
  }

  /** Best read bandwidth over the runs, 10⁹ bytes per second. */
  public double bandwidthGbPerS() {
    long n = settings.bandwidthBytes() / Float.BYTES;
    try (NDManager m = manager.newSubManager()) {
      NDArray a = m.ones(new Shape(n));
      double best = Double.MAX_VALUE;
      for (int r = -1; r < settings.runs(); r++) {
        long t0 = System.nanoTime();
        try (NDArray s = a.sum()) {
          s.getFloat();
        }
        long dt = System.nanoTime() - t0;
        if (r >= 0) {
          best = Math.min(best, dt);
        }
      }
      return n * (double) Float.BYTES / best; // bytes per ns = GB/s
    }
  }

  /** Best fp32 matmul throughput over the runs, 10⁹ FLOPs per second. */
  public double matmulGflopPerS() {
    int n = settings.gemmSize();
    try (NDManager m = manager.newSubManager()) {
      NDArray a = m.randomUniform(-1f, 1f, new Shape(n, n));
      NDArray b = m.randomUniform(-1f, 1f, new Shape(n, n));
      double best = Double.MAX_VALUE;
      for (int r = -1; r < settings.runs(); r++) {
        long t0 = System.nanoTime();
        try (NDArray c = a.matMul(b)) {
          c.getFloat(0, 0);
        }
        long dt = System.nanoTime() - t0;
        if (r >= 0) {
          best = Math.min(best, dt);
        }
      }
      return 2.0 * n * n * (double) n / best; // FLOPs per ns = GFLOP/s
    }
  }

  /**
   * Median ms of {@code chain}'s matmuls on a [batch, d] input: each layer's QKV and attention
   * output projections read the layer's input, the MLP's two feed the next layer, the LM head reads
   * the last. The weights are made once per chain and kept until {@link #close}.
   */
  public double chainMs(WeightChain chain, int batch) {
    List<NDArray> w = weights(chain);
    int d = chain.dModel();
    double[] ms = new double[settings.runs()];
    for (int r = -1; r < settings.runs(); r++) {
      try (NDManager run = manager.newSubManager()) {
        NDArray x = run.randomUniform(-1f, 1f, new Shape(batch, d));
        x.getFloat(0, 0); // the input is ready before the clock starts
        long t0 = System.nanoTime();
        for (int l = 0; l < chain.layers(); l++) {
          x.matMul(w.get(4 * l));
          x.matMul(w.get(4 * l + 1));
          x = x.matMul(w.get(4 * l + 2)).matMul(w.get(4 * l + 3));
        }
        x.matMul(w.get(w.size() - 1)).getFloat(0, 0);
        if (r >= 0) {
          ms[r] = (System.nanoTime() - t0) / 1e6;
        }
      }
    }
    return Statistics.median(ms);
  }

  /** Weights scaled by 1/√fan-in, so activations keep their size (no denormals) down the chain. */
  private List<NDArray> weights(WeightChain wanted) {
    if (!wanted.equals(chain)) {
      closeWeights();
      chainWeights = manager.newSubManager();
      weights = new ArrayList<>();
      for (int[] s : wanted.matmuls()) {
        float a = (float) Math.sqrt(3.0 / s[0]);
        weights.add(chainWeights.randomUniform(-a, a, new Shape(s[0], s[1])));
      }
      chain = wanted;
    }
    return weights;
  }

  private void closeWeights() {
    if (chainWeights != null) {
      chainWeights.close();
      chainWeights = null;
      weights = null;
      chain = null;
    }
  }

  @Override
  public void close() {
    closeWeights();
  }
}
