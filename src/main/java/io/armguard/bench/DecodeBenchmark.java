package io.armguard.bench;

import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import io.armguard.decode.BatchDecoder;
import io.armguard.decode.DecodeRequest;
import io.armguard.decode.DecodedBatch;
import io.armguard.decode.GuidanceProvider;
import io.armguard.decode.SteeringDirection;
import io.armguard.model.CausalLm;
import io.armguard.model.LeftPadding;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;

/**
 * Measures batched decoding: random prompts of a fixed length, a fixed number of new tokens (EOS
 * never stops a row, so every run does the same work), warm-up runs, then timed runs; reports
 * medians. Optionally times the uncached forward a step would cost without the KV cache.
 */
public final class DecodeBenchmark {

  /** What to measure. */
  public record Settings(
      int promptTokens,
      int newTokens,
      int topK,
      float temperature,
      int warmup,
      int runs,
      boolean recompute) {}

  private final CausalLm lm;
  private final NDManager manager;
  private final Settings settings;

  public DecodeBenchmark(CausalLm lm, NDManager manager, Settings settings) {
    this.lm = lm;
    this.manager = manager;
    this.settings = settings;
    if (settings.promptTokens() + settings.newTokens() > lm.config().nPositions()) {
      throw new IllegalArgumentException("prompt + new tokens exceed the model's context");
    }
  }

  /** Runs one (strategy, batch) configuration; {@code onRun} is called after every run. */
  public DecodeBenchResult run(
      DecodeBenchStrategy strategy,
      int batch,
      int threads,
      String device,
      String model,
      Runnable onRun)
      throws Exception {
    GuidanceProvider provider = strategy.provider(lm, manager);
    BatchDecoder decoder = new BatchDecoder(lm, manager, -1);
    Random random = new Random(batch);
    int[][] prompts = new int[batch][settings.promptTokens()];
    List<DecodeRequest> requests = new ArrayList<>();
    for (int b = 0; b < batch; b++) {
      for (int t = 0; t < prompts[b].length; t++) {
        prompts[b][t] = random.nextInt(lm.config().vocabSize() - 1);
      }
      requests.add(
          new DecodeRequest(
              "b" + b,
              "",
              settings.newTokens(),
              settings.topK(),
              settings.temperature(),
              b,
              strategy.strategy(),
              strategy.strategy() == io.armguard.decode.Strategy.UNGUIDED ? 0f : 10f,
              SteeringDirection.AWAY_FROM_LABEL));
    }
    double[] total = new double[settings.runs()];
    double[] step = new double[settings.runs()];
    double[] prefill = new double[settings.runs()];
    for (int r = -settings.warmup(); r < settings.runs(); r++) {
      DecodedBatch out = decoder.decode(prompts, requests, provider);
      if (r >= 0) {
        long steps = Arrays.stream(out.stepNanos()).sum();
        total[r] = (out.prefillNanos() + steps) / 1e9;
        step[r] = median(Arrays.stream(out.stepNanos()).mapToDouble(n -> n / 1e6).toArray());
        prefill[r] = out.prefillNanos() / 1e6;
      }
      onRun.run();
    }
    double recompute = settings.recompute() ? recomputeMs(prompts) : -1;
    return new DecodeBenchResult(
        strategy.name(),
        batch,
        settings.newTokens(),
        settings.promptTokens(),
        round(batch * (double) settings.newTokens() / median(total)),
        round(median(step)),
        round(median(prefill)),
        round(recompute),
        settings.runs(),
        threads,
        device,
        model);
  }

  /** Median time of an uncached forward + last-position logits at the mean decode context. */
  private double recomputeMs(int[][] prompts) {
    int length = settings.promptTokens() + settings.newTokens() / 2;
    int[][] seqs = new int[prompts.length][length];
    for (int b = 0; b < prompts.length; b++) {
      for (int t = 0; t < length; t++) {
        seqs[b][t] = prompts[b][t % prompts[b].length];
      }
    }
    double[] ms = new double[Math.max(3, settings.runs())];
    for (int r = -1; r < ms.length; r++) {
      try (NDManager m = manager.newSubManager()) {
        NDList in = LeftPadding.pad(seqs, 0, m);
        long t0 = System.nanoTime();
        lm.lastLogits(lm.backbone().hidden(in.get(0), in.get(2), in.get(1), null, false))
            .toFloatArray();
        if (r >= 0) {
          ms[r] = (System.nanoTime() - t0) / 1e6;
        }
      }
    }
    return median(ms);
  }

  private static double median(double[] v) {
    if (v.length == 0) {
      return 0;
    }
    double[] s = v.clone();
    Arrays.sort(s);
    return s.length % 2 == 1 ? s[s.length / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
  }

  private static double round(double v) {
    return Math.round(v * 100) / 100.0;
  }
}
