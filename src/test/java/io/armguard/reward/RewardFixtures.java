package io.armguard.reward;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.Shape;
import io.armguard.model.GptBackbone;
import io.armguard.model.GptConfig;
import io.armguard.model.TextTokenizer;
import java.io.IOException;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * Small random reward models for tests, scaled so raw scores mostly fall inside (0, 1): clamping
 * then rarely hides a difference between two ways of computing them.
 */
public final class RewardFixtures {

  public static final List<String> LABELS = List.of("insult", "toxicity");
  public static final int MERGES = 43; // vocabulary 256 + 43 + <|endoftext|> = 300

  private RewardFixtures() {}

  /** The tiny LM's shape (TinyModels.config()): V=300, context 64, d=32, 2 layers. */
  public static GptConfig lmConfig() {
    return GptConfig.of(300, 64, 32, 2, 4);
  }

  /** Reward models: half the LM's layers. */
  public static GptConfig rmConfig() {
    return GptConfig.of(300, 64, 32, 1, 4);
  }

  public static TextTokenizer tokenizer() throws IOException {
    return TextTokenizer.gpt2(MERGES);
  }

  /** Steers on "toxicity" (label 1 of 2), away from it by default. */
  public static RewardModelInfo info(RewardKind kind) {
    return new RewardModelInfo(kind, LABELS, "toxicity", "AWAY_FROM_LABEL", "test");
  }

  public static RadRewardModel rad(NDManager m, TextTokenizer tok, int seed) {
    GptBackbone b = GptBackbone.randomlyInitialized(rmConfig(), m, seed);
    int d = rmConfig().nEmbd();
    Random r = new Random(seed);
    NDArray w = m.create(gaussian(r, LABELS.size() * d, 0.15 / Math.sqrt(d)), new Shape(2, d));
    NDArray bias = m.create(new float[] {0.4f, 0.5f});
    try {
      RadHead head = RadHead.fromTensors(Map.of(RadHead.WEIGHT, w, RadHead.BIAS, bias), d, 2, m);
      return new RadRewardModel(b, head, info(RewardKind.RAD), tok, "rad-test@" + seed);
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  public static ArmRewardModel arm(NDManager m, TextTokenizer tok, int seed) {
    GptBackbone b = GptBackbone.randomlyInitialized(rmConfig(), m, seed);
    int d = rmConfig().nEmbd();
    Random r = new Random(seed);
    float[] w = gaussian(r, 2 * d, 0.1 / Math.sqrt(d));
    NDArray baseline = m.create(w, new Shape(2, d));
    NDArray delta = m.create(gaussian(r, 2 * d * d, 0.25), new Shape(2, d, d));
    // offset the steering label's baseline by 0.5: ln_f.bias = 0.5 w_s / |w_s|^2
    double norm = 0;
    for (int i = d; i < 2 * d; i++) {
      norm += w[i] * w[i];
    }
    float[] lnBias = new float[d];
    for (int i = 0; i < d; i++) {
      lnBias[i] = (float) (0.5 * w[d + i] / norm);
    }
    b.namedParameters().get("ln_f.bias").getArray().set(new NDIndex(":"), m.create(lnBias));
    try {
      ArmHead head =
          ArmHead.fromTensors(Map.of(ArmHead.BASELINE, baseline, ArmHead.DELTA, delta), d, 2, m);
      return new ArmRewardModel(b, head, info(RewardKind.ARM), tok, "arm-test@" + seed);
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  /**
   * The steering label's clamped score of {@code prefix + candidate} by one uncached, unpadded
   * forward pass (the reference the cached and batched paths are checked against).
   */
  public static float naiveScore(RewardModel rm, int[] prefix, int candidate) {
    int[] seq = java.util.Arrays.copyOf(prefix, prefix.length + 1);
    seq[prefix.length] = candidate;
    try (NDManager m = NDManager.newBaseManager()) {
      ai.djl.ndarray.NDList in = io.armguard.model.LeftPadding.pad(new int[][] {seq}, 0, m);
      float[] flat = rm.prefixScores(in.get(0), in.get(1), false).toFloatArray();
      int l = rm.info().labelCount();
      float v = flat[(seq.length - 1) * l + rm.info().steeringIndex()];
      return Math.min(1f, Math.max(0f, v));
    }
  }

  private static float[] gaussian(Random r, int n, double std) {
    float[] out = new float[n];
    for (int i = 0; i < n; i++) {
      out[i] = (float) (r.nextGaussian() * std);
    }
    return out;
  }
}
