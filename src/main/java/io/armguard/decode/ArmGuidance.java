package io.armguard.decode;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import io.armguard.model.EngineThreads;
import io.armguard.model.KvCache;
import io.armguard.model.LeftPadding;
import io.armguard.reward.ArmRewardModel;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * ARM guidance for one batch: the reward model keeps its own KV cache over BOS + its prefix ({@link
 * DecodeRequest#rewardText()}) + emitted tokens and runs <b>one step per generated token for the
 * whole batch</b>; the step's hidden state h scores the candidates as w·h + (W h)·e_c
 * (docs/algorithm.md section 3), so the cost does not grow with k.
 *
 * <p>The reward-model step for the tokens chosen at step s needs nothing but those tokens, so it is
 * started on a worker thread as soon as they are known ({@link #advance}) and runs while the LM
 * computes step s + 1; {@link #score} then only waits for it. On a machine with a spare core this
 * hides most of ARM's cost behind the LM's own step. The worker only touches this guidance's own KV
 * cache and a manager of its own; every other method waits for it first.
 */
final class ArmGuidance implements Guidance {

  private final ArmRewardModel model;
  private final int label;
  private final List<DecodeRequest> requests;
  private final NDManager state;
  private KvCache cache;
  private CacheRows rows;
  private int[][] prompts; // BOS + prompt per row, until the prefill has run
  private long[] pending; // tokens chosen but not yet fed to the reward model
  private Future<NDArray> ahead; // the step over the chosen tokens, running on WORKERS
  private NDManager aheadManager; // owns that step's hidden state until score() consumes it

  /** Daemon workers shared by all ARM guidances (one task per batch at a time). */
  private static final ExecutorService WORKERS =
      Executors.newCachedThreadPool(
          r -> {
            // Inference-only threads: autograd off once per thread, not around every step.
            Thread t =
                new Thread(
                    () -> {
                      EngineThreads.autogradOffForThisThread();
                      r.run();
                    },
                    "arm-reward-step");
            t.setDaemon(true);
            return t;
          });

  /**
   * @param label row of the steering label in the model's head
   */
  ArmGuidance(
      ArmRewardModel model, int label, List<DecodeRequest> requests, NDManager batchManager) {
    this.model = model;
    this.label = label;
    this.requests = requests;
    this.state = batchManager.newSubManager();
  }

  @Override
  public void start(int[][] real, NDManager batchManager) {
    int n = real.length;
    prompts = new int[n][];
    for (int b = 0; b < n; b++) {
      GuidanceLimits.check(requests.get(b), real[b].length, model.maxTokens(), model.id());
      prompts[b] = new int[real[b].length + 1];
      prompts[b][0] = model.bosId();
      System.arraycopy(real[b], 0, prompts[b], 1, real[b].length);
    }
  }

  @Override
  public NDArray score(NDArray candidateIds, NDManager stepManager) {
    if (ahead != null) {
      NDArray h = awaitAhead();
      NDArray scores =
          model
              .info()
              .output()
              .apply(model.head().candidates(h, candidateIds, model.embedding(), label), label);
      scores.attach(stepManager); // returned arrays belong to the given manager
      aheadManager.close();
      aheadManager = null;
      return scores;
    }
    NDArray h = prompts != null ? prefill(stepManager) : step(stepManager);
    return model
        .info()
        .output()
        .apply(
            model.head().candidates(h, candidateIds, model.embedding(), label),
            label); // [B, k] in the step's manager (h's), in [0, 1]
  }

  /** Waits for the reward-model step started by {@link #advance}; its hidden state [B, d]. */
  private NDArray awaitAhead() {
    try {
      return ahead.get();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while waiting for the ARM reward step", e);
    } catch (ExecutionException e) {
      throw new IllegalStateException("ARM reward step failed: " + e.getCause(), e.getCause());
    } finally {
      ahead = null;
    }
  }

  /** The reward model's pass over BOS + prompts; returns the last hidden state per row [B, d]. */
  private NDArray prefill(NDManager step) {
    rows = new CacheRows(prompts);
    cache = new KvCache(state, model.backbone().config().layerCount());
    NDList in = LeftPadding.pad(prompts, model.bosId(), step);
    prompts = null;
    NDArray hidden = model.stepHidden(in.get(0), in.get(2), in.get(1), cache);
    return hidden.get(new NDIndex(":, -1, :"));
  }

  /** One reward-model step over the tokens chosen last step; returns h [B, d]. */
  private NDArray step(NDManager step) {
    NDList next = rows.nextToken(1, step);
    NDArray ids = step.create(pending).reshape(-1, 1);
    NDArray hidden = model.stepHidden(ids, next.get(0), next.get(1), cache);
    rows.grow();
    pending = null;
    return hidden.get(new NDIndex(":, 0, :"));
  }

  @Override
  public void advance(NDArray chosenIds, NDArray chosenCandidateIndex, NDManager stepManager) {
    pending = chosenIds.toLongArray();
    NDManager own = state.newSubManager();
    aheadManager = own;
    ahead = WORKERS.submit(() -> step(own));
  }

  @Override
  public boolean canRetainRows() {
    return true;
  }

  @Override
  public void retainRows(NDArray keep, NDManager stepManager) {
    if (ahead != null) {
      // the step already ran for every row: keep the chosen rows of its hidden state
      NDArray h = awaitAhead();
      NDManager own = state.newSubManager();
      NDArray kept = h.get(own, new NDIndex("{}", keep));
      aheadManager.close();
      aheadManager = own;
      ahead = java.util.concurrent.CompletableFuture.completedFuture(kept);
    }
    long[] idx = keep.toLongArray();
    KvCache smaller = cache.select(keep);
    cache.close();
    cache = smaller;
    rows.retain(idx);
    cache.dropLeading(rows.dropCommonPadding()); // padding only the rows that left needed
    if (pending != null) { // null when the step over them already ran
      long[] p = new long[idx.length];
      for (int i = 0; i < idx.length; i++) {
        p[i] = pending[(int) idx[i]];
      }
      pending = p;
    }
  }

  @Override
  public boolean canJoin() {
    return true;
  }

  /**
   * Both guidances have launched the reward step over their chosen tokens ({@link #advance}): waits
   * for both, then joins their hidden states, caches and padding bookkeeping.
   */
  @Override
  public void join(Guidance newcomers, NDManager stepManager) {
    ArmGuidance other = (ArmGuidance) newcomers; // one provider opens both
    if (ahead == null || other.ahead == null) {
      throw new IllegalStateException("ARM guidances join after advance(), before the next score");
    }
    NDArray mine = awaitAhead();
    NDArray theirs = other.awaitAhead();
    NDManager own = state.newSubManager();
    NDArray joinedHidden = mine.concat(theirs, 0);
    joinedHidden.attach(own);
    aheadManager.close();
    aheadManager = own;
    ahead = java.util.concurrent.CompletableFuture.completedFuture(joinedHidden);
    KvCache joined = KvCache.concatRows(cache, other.cache, state);
    cache.close();
    cache = joined;
    rows = rows.concat(other.rows);
    other.close();
  }

  @Override
  public void close() {
    if (ahead != null) {
      try {
        awaitAhead(); // never free the cache under a running step
      } catch (RuntimeException ignored) {
        // the batch is over; its failure was or will be reported by the decoder
      }
    }
    state.close();
  }
}
