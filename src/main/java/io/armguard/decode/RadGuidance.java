package io.armguard.decode;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import io.armguard.model.KvCache;
import io.armguard.model.LeftPadding;
import io.armguard.reward.RadRewardModel;
import java.util.List;

/**
 * RAD guidance for one batch (docs/algorithm.md section 2): the reward model keeps <b>k copies of
 * its KV cache</b> per sequence, so the k candidates of every sequence are scored in one batched
 * call of batch*k rows of one token; after sampling, the chosen row's cache (which already holds
 * the chosen token) is copied into that sequence's k rows. Cost per step grows linearly with k.
 */
final class RadGuidance implements Guidance {

  private final RadRewardModel model;
  private final int label;
  private final List<DecodeRequest> requests;
  private final NDManager state;
  private KvCache cache; // B rows after the prefill, B*k rows afterwards
  private CacheRows rows;
  private int[][] prompts; // until the prefill has run
  private int k;

  /**
   * @param label row of the steering label in the model's head
   */
  RadGuidance(
      RadRewardModel model, int label, List<DecodeRequest> requests, NDManager batchManager) {
    this.model = model;
    this.label = label;
    this.requests = requests;
    this.state = batchManager.newSubManager();
  }

  @Override
  public void start(int[][] rewardPrefixes, NDManager batchManager) {
    int n = rewardPrefixes.length;
    prompts = new int[n][];
    for (int b = 0; b < n; b++) {
      // RAD reads a candidate against a cached prefix: an empty prefix starts from BOS instead
      prompts[b] =
          rewardPrefixes[b].length > 0
              ? rewardPrefixes[b]
              : new int[] {model.backbone().config().bosTokenId()};
      GuidanceLimits.check(requests.get(b), prompts[b].length, model.maxTokens(), model.id());
    }
  }

  @Override
  public NDArray score(NDArray candidateIds, NDManager stepManager) {
    int n = (int) candidateIds.getShape().get(0);
    if (prompts != null) {
      prefill(stepManager);
    }
    if (cache.batchSize() != (long) n * candidateIds.getShape().get(1)) {
      k = (int) candidateIds.getShape().get(1);
      replaceCache(copies(n, k, stepManager, null)); // first step: k copies of each row
    }
    NDList next = rows.nextToken(k, stepManager);
    NDArray ids = candidateIds.reshape(-1, 1);
    NDArray rho = model.stepScores(ids, next.get(0), next.get(1), cache); // [B*k, 1, L]
    rows.grow();
    return model
        .info()
        .output()
        .apply(rho.get(new NDIndex(":, 0, {}", label)).reshape(n, k), label);
  }

  private void prefill(NDManager step) {
    rows = new CacheRows(prompts);
    cache = new KvCache(state, model.backbone().config().layerCount());
    NDList in = LeftPadding.pad(prompts, 0, step);
    prompts = null;
    // only the cache is needed: the candidates are read at their own position
    model.backbone().hidden(in.get(0), in.get(2), in.get(1), cache, false);
  }

  @Override
  public void advance(NDArray chosenIds, NDArray chosenCandidateIndex, NDManager stepManager) {
    long[] chosen = chosenCandidateIndex.toLongArray();
    replaceCache(copies(chosen.length, k, stepManager, chosen));
  }

  /**
   * Row indices of a B*k cache: sequence b's k rows all copy row {@code b*k + chosen[b]} of the
   * current B*k cache, or row b of a B-row cache when {@code chosen} is null.
   */
  private static NDArray copies(int n, int k, NDManager m, long[] chosen) {
    long[] idx = new long[n * k];
    for (int b = 0; b < n; b++) {
      long src = chosen == null ? b : (long) b * k + chosen[b];
      java.util.Arrays.fill(idx, b * k, (b + 1) * k, src);
    }
    return m.create(idx);
  }

  private void replaceCache(NDArray rowsToCopy) {
    KvCache next = cache.select(rowsToCopy);
    cache.close();
    cache = next;
  }

  @Override
  public boolean canRetainRows() {
    return true;
  }

  @Override
  public void retainRows(NDArray keep, NDManager stepManager) {
    long[] seq = keep.toLongArray();
    long[] idx = new long[seq.length * k];
    for (int i = 0; i < seq.length; i++) {
      for (int j = 0; j < k; j++) {
        idx[i * k + j] = seq[i] * k + j;
      }
    }
    replaceCache(stepManager.create(idx));
    rows.retain(seq);
    cache.dropLeading(rows.dropCommonPadding()); // padding only the rows that left needed
  }

  @Override
  public boolean canJoin() {
    return true;
  }

  /**
   * Both hold k copies per sequence with the chosen token cached ({@link #advance}): stack them.
   */
  @Override
  public void join(Guidance newcomers, NDManager stepManager) {
    RadGuidance other = (RadGuidance) newcomers; // one provider opens both
    if (prompts != null || other.prompts != null || k != other.k) {
      throw new IllegalStateException(
          "RAD guidances join after a step with the same k (" + k + " vs " + other.k + ")");
    }
    KvCache joined = KvCache.concatRows(cache, other.cache, state);
    cache.close();
    cache = joined;
    rows = rows.concat(other.rows);
    other.close();
  }

  @Override
  public void close() {
    state.close();
  }
}
