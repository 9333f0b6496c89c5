package io.armguard.bench;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import io.armguard.decode.DecodeRequest;
import io.armguard.decode.Guidance;
import io.armguard.decode.GuidanceProvider;
import io.armguard.decode.Strategy;
import java.util.ArrayList;
import java.util.List;

/**
 * Wraps a {@link GuidanceProvider} and records the wall time its guidance spends per decoding step
 * (score + advance + row dropping), i.e. the reward model's share of a step, the quantity the ARM
 * paper's timing figure plots. libtorch on CPU is synchronous, so the time is the compute's.
 */
final class TimedGuidanceProvider implements GuidanceProvider {

  private final GuidanceProvider inner;
  private final List<Long> stepNanos = new ArrayList<>();

  TimedGuidanceProvider(GuidanceProvider inner) {
    this.inner = inner;
  }

  /**
   * Guidance time of each step of the batches opened so far, in order; the first step of a batch
   * includes the reward model's pass over the prompts.
   */
  List<Long> stepNanos() {
    return stepNanos;
  }

  /** Forgets the recorded steps. */
  void reset() {
    stepNanos.clear();
  }

  @Override
  public Strategy strategy() {
    return inner.strategy();
  }

  @Override
  public Guidance open(List<DecodeRequest> requests, NDManager batchManager) {
    Guidance g = inner.open(requests, batchManager);
    return new Guidance() {
      private long pending; // time of the current step so far

      @Override
      public void start(int[][] rewardPrefixes, NDManager manager) {
        long t0 = System.nanoTime();
        g.start(rewardPrefixes, manager);
        pending += System.nanoTime() - t0;
      }

      @Override
      public NDArray score(NDArray candidateIds, NDManager stepManager) {
        long t0 = System.nanoTime();
        NDArray r = g.score(candidateIds, stepManager);
        pending += System.nanoTime() - t0;
        return r;
      }

      @Override
      public void advance(NDArray chosenIds, NDArray chosenIndex, NDManager stepManager) {
        long t0 = System.nanoTime();
        g.advance(chosenIds, chosenIndex, stepManager);
        stepNanos.add(pending + System.nanoTime() - t0);
        pending = 0;
      }

      @Override
      public boolean canRetainRows() {
        return g.canRetainRows();
      }

      @Override
      public void retainRows(NDArray rows, NDManager stepManager) {
        long t0 = System.nanoTime();
        g.retainRows(rows, stepManager);
        pending += System.nanoTime() - t0; // counted with the next step
      }

      @Override
      public void close() {
        g.close();
      }
    };
  }
}
