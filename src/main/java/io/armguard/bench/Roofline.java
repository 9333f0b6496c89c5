package io.armguard.bench;

/**
 * What this machine can do at best through the engine, as {@link RooflineProbe} measured it, and
 * the time a decode step's weight chain cannot beat.
 *
 * @param bandwidthGbPerS memory read bandwidth, 10⁹ bytes per second
 * @param matmulGflopPerS fp32 matmul throughput, 10⁹ FLOPs per second
 */
public record Roofline(double bandwidthGbPerS, double matmulGflopPerS) {

  /** Reading the chain's weights once at the measured bandwidth, in ms. */
  public double memoryMs(WeightChain chain) {
    return chain.weightBytes() / (bandwidthGbPerS * 1e9) * 1e3;
  }

  /** The chain's FLOPs at batch {@code batch} at the measured matmul peak, in ms. */
  public double flopMs(WeightChain chain, int batch) {
    return chain.flopsPerStep(batch) / (matmulGflopPerS * 1e9) * 1e3;
  }

  /** The larger of the two: the step's roofline. */
  public double ms(WeightChain chain, int batch) {
    return Math.max(memoryMs(chain), flopMs(chain, batch));
  }
}
