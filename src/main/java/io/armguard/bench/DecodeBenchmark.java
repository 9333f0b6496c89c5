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
    if (settings.promptTokens() + settings.newTokens() > lm.config().maxPositions()) {
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
    return runInterleaved(List.of(strategy), batch, threads, device, model, onRun).get(0);
  }

  /**
   * Runs several strategies on the same prompts with their runs interleaved (run 1 of each
   * strategy, then run 2 of each, ...), so load from other processes on a shared machine falls on
   * all of them alike and their ratios stay meaningful. Results in the order of {@code strategies}.
   */
  public List<DecodeBenchResult> runInterleaved(
      List<DecodeBenchStrategy> strategies,
      int batch,
      int threads,
      String device,
      String model,
      Runnable onRun)
      throws Exception {
    int n = strategies.size();
    TimedGuidanceProvider[] providers = new TimedGuidanceProvider[n];
    List<List<DecodeRequest>> requests = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      GuidanceProvider inner = strategies.get(i).provider(lm, manager);
      providers[i] = inner == null ? null : new TimedGuidanceProvider(inner);
      requests.add(requests(strategies.get(i), batch));
    }
    int[][] prompts = prompts(batch);
    BatchDecoder decoder = new BatchDecoder(lm, manager, -1);
    double[][] total = new double[n][settings.runs()];
    double[][] step = new double[n][settings.runs()];
    double[][] prefill = new double[n][settings.runs()];
    double[][] reward = new double[n][settings.runs()];
    for (int r = -settings.warmup(); r < settings.runs(); r++) {
      for (int i = 0; i < n; i++) {
        TimedGuidanceProvider provider = providers[i];
        if (provider != null) {
          provider.reset();
        }
        DecodedBatch out = decoder.decode(prompts, requests.get(i), provider);
        if (r >= 0) {
          long steps = Arrays.stream(out.stepNanos()).sum();
          total[i][r] = (out.prefillNanos() + steps) / 1e9;
          step[i][r] =
              Statistics.median(Arrays.stream(out.stepNanos()).mapToDouble(x -> x / 1e6).toArray());
          prefill[i][r] = out.prefillNanos() / 1e6;
          if (provider != null) {
            List<Long> g = provider.stepNanos();
            reward[i][r] =
                Statistics.median(g.stream().skip(1).mapToDouble(x -> x / 1e6).toArray());
          }
        }
        onRun.run();
      }
    }
    double recompute = settings.recompute() ? recomputeMs(prompts) : -1;
    List<DecodeBenchResult> results = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      results.add(
          new DecodeBenchResult(
              strategies.get(i).name(),
              batch,
              settings.topK(),
              settings.newTokens(),
              settings.promptTokens(),
              Statistics.round(
                  batch * (double) settings.newTokens() / Statistics.median(total[i]), 2),
              Statistics.round(Statistics.median(step[i]), 2),
              Statistics.round(Statistics.median(prefill[i]), 2),
              Statistics.round(Statistics.median(reward[i]), 2),
              Statistics.round(recompute, 2),
              settings.runs(),
              threads,
              device,
              model));
    }
    return results;
  }

  /** Random prompts (EOS excluded), the same for every strategy of a batch size. */
  private int[][] prompts(int batch) {
    Random random = new Random(batch);
    int[][] prompts = new int[batch][settings.promptTokens()];
    for (int b = 0; b < batch; b++) {
      for (int t = 0; t < prompts[b].length; t++) {
        prompts[b][t] = random.nextInt(lm.config().vocabSize() - 1);
      }
    }
    return prompts;
  }

  private List<DecodeRequest> requests(DecodeBenchStrategy strategy, int batch) {
    List<DecodeRequest> requests = new ArrayList<>();
    for (int b = 0; b < batch; b++) {
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
    return requests;
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
    return Statistics.median(ms);
  }
}
