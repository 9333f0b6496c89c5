package io.armguard.decode;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import io.armguard.model.BackboneConfig;
import io.armguard.model.CausalLm;
import io.armguard.model.KvCache;
import io.armguard.model.LeftPadding;
import java.util.Arrays;
import java.util.List;

/**
 * Decodes a batch of tokenized prompts with a KV-cached {@link CausalLm}: one prefill over the
 * left-padded prompts, then one-token steps. Every step takes each row's top-k, lets an optional
 * {@link Guidance} add its bonus, and samples with the row's own seeded generator ({@link
 * TopKSampler}), so a row's tokens do not depend on its batch mates. A row stops at EOS or its
 * token budget; the batch stops when every row has. Once a quarter of the rows have finished they
 * are dropped from the batch (KV cache rows selected away, {@link Guidance#retainRows}), unless the
 * guidance cannot follow.
 *
 * <p>Native memory: one sub-manager per batch (KV cache, guidance state) and one per step; nothing
 * outlives {@link #decode}. Not thread-safe: one decoder per thread, the LM's weights shared.
 */
public final class BatchDecoder {

  private final CausalLm lm;
  private final NDManager parent;
  private final int eosId;
  private final TokenChooser chooser;

  /**
   * @param lm the language model
   * @param parent manager on the LM's device; per-batch managers are made under it
   * @param eosId the id that ends a sequence, or -1 to always decode the full budget
   */
  public BatchDecoder(CausalLm lm, NDManager parent, int eosId) {
    this.lm = lm;
    this.parent = parent;
    this.eosId = eosId;
    this.chooser = new TokenChooser(eosId, lm.config().vocabSize());
  }

  public CausalLm lm() {
    return lm;
  }

  /**
   * Decodes {@code prompts[i]} with the parameters of {@code requests.get(i)}; the guidance (if
   * any) starts from the prompts too.
   *
   * @param prompts non-empty token id arrays
   * @param provider null for unguided decoding; otherwise opened once for this batch
   */
  public DecodedBatch decode(
      int[][] prompts, List<DecodeRequest> requests, GuidanceProvider provider) {
    return decode(prompts, prompts, requests, provider);
  }

  /**
   * Decodes {@code prompts[i]} with the parameters of {@code requests.get(i)}, the guidance's
   * reward model starting from {@code rewardPrefixes[i]} ({@link Guidance#start}).
   *
   * @param prompts non-empty token id arrays, as the LM sees them
   * @param rewardPrefixes per row, what the reward model has seen before the first new token (may
   *     be empty; ignored without guidance)
   * @param provider null for unguided decoding; otherwise opened once for this batch
   */
  public DecodedBatch decode(
      int[][] prompts,
      int[][] rewardPrefixes,
      List<DecodeRequest> requests,
      GuidanceProvider provider) {
    validate(prompts, requests);
    if (rewardPrefixes.length != prompts.length) {
      throw new IllegalArgumentException(
          "need one reward prefix per prompt, got " + rewardPrefixes.length);
    }
    int n = prompts.length;
    BackboneConfig config = lm.config();
    int kMax = requests.stream().mapToInt(DecodeRequest::topK).max().orElse(1);
    kMax = Math.min(kMax, config.vocabSize());
    int width = Arrays.stream(prompts).mapToInt(p -> p.length).max().orElse(0);
    int maxSteps = requests.stream().mapToInt(DecodeRequest::maxNewTokens).max().orElse(0);
    int padId = Math.max(eosId, 0);
    RowState[] rows = new RowState[n];
    for (int b = 0; b < n; b++) {
      rows[b] = new RowState(requests.get(b));
    }
    long[] stepNanos = new long[Math.max(0, maxSteps - 1)];
    int steps = 0;
    long prefillNanos;
    try (NDManager batch = parent.newSubManager()) {
      KvCache cache = new KvCache(batch, config.layerCount()); // freed with the batch manager
      Guidance guidance = provider == null ? null : provider.open(requests, batch);
      try {
        if (guidance != null) {
          guidance.start(rewardPrefixes, batch);
        }
        int[] live = java.util.stream.IntStream.range(0, n).toArray(); // original row of each row
        long t0 = System.nanoTime();
        try (NDManager step = batch.newSubManager()) {
          NDList in = LeftPadding.pad(prompts, padId, step);
          NDArray hidden = lm.backbone().hidden(in.get(0), in.get(2), in.get(1), cache, false);
          chooser.choose(lm.lastLogits(hidden), kMax, pick(rows, live), guidance, step);
          cache = compact(cache, rows, live, guidance, step);
          live = remaining(rows, live, cache);
        }
        prefillNanos = System.nanoTime() - t0;
        for (int s = 1; s < maxSteps && live.length > 0; s++) {
          long ts = System.nanoTime();
          try (NDManager step = batch.newSubManager()) {
            long[][] ids = new long[live.length][1];
            long[][] pos = new long[live.length][1];
            long[][] mask = new long[live.length][width + s];
            for (int i = 0; i < live.length; i++) {
              int b = live[i];
              ids[i][0] = rows[b].lastToken;
              pos[i][0] = Math.min(prompts[b].length + s - 1, config.maxPositions() - 1);
              Arrays.fill(mask[i], width - prompts[b].length, width + s, 1L);
            }
            NDArray hidden =
                lm.backbone()
                    .hidden(step.create(ids), step.create(pos), step.create(mask), cache, false);
            chooser.choose(lm.lastLogits(hidden), kMax, pick(rows, live), guidance, step);
            cache = compact(cache, rows, live, guidance, step);
            live = remaining(rows, live, cache);
          }
          stepNanos[steps++] = System.nanoTime() - ts;
        }
      } finally {
        if (guidance != null) {
          guidance.close();
        }
      }
    }
    return new DecodedBatch(
        Arrays.stream(rows).map(RowState::output).toList(),
        prefillNanos,
        Arrays.copyOf(stepNanos, steps));
  }

  private static RowState[] pick(RowState[] rows, int[] live) {
    RowState[] out = new RowState[live.length];
    for (int i = 0; i < live.length; i++) {
      out[i] = rows[live[i]];
    }
    return out;
  }

  /**
   * Drops finished rows from the KV cache (and the guidance's state) once at least a quarter of the
   * batch has finished, so long-budget rows do not pay for finished ones. Returns the cache to use
   * next; the rows kept are those {@link #remaining} reports.
   */
  private static KvCache compact(
      KvCache cache, RowState[] rows, int[] live, Guidance guidance, NDManager step) {
    int done = 0;
    for (int b : live) {
      done += rows[b].done ? 1 : 0;
    }
    boolean canDrop = guidance == null || guidance.canRetainRows();
    if (done == 0 || done == live.length || !canDrop || done * 4 < live.length) {
      return cache;
    }
    long[] keep = new long[live.length - done];
    int j = 0;
    for (int i = 0; i < live.length; i++) {
      if (!rows[live[i]].done) {
        keep[j++] = i;
      }
    }
    NDArray keepRows = step.create(keep);
    KvCache smaller = cache.select(keepRows);
    cache.close();
    if (guidance != null) {
      guidance.retainRows(keepRows, step);
    }
    return smaller;
  }

  /** The original rows still in the batch: all of {@code live} unless the cache was compacted. */
  private static int[] remaining(RowState[] rows, int[] live, KvCache cache) {
    boolean allDone = Arrays.stream(live).allMatch(b -> rows[b].done);
    if (allDone) {
      return new int[0];
    }
    if (cache.batchSize() == live.length) {
      return live;
    }
    return Arrays.stream(live).filter(b -> !rows[b].done).toArray();
  }

  private void validate(int[][] prompts, List<DecodeRequest> requests) {
    if (prompts.length != requests.size() || prompts.length == 0) {
      throw new IllegalArgumentException(
          "need one request per prompt, got " + prompts.length + " / " + requests.size());
    }
    for (int b = 0; b < prompts.length; b++) {
      validateRow(lm.config(), prompts[b], requests.get(b));
    }
  }

  /**
   * Checks one row as {@link #decode} and {@link RollingBatch#join} need it: a non-empty prompt,
   * sane sampling parameters, and prompt + budget within the LM's context.
   *
   * @throws IllegalArgumentException naming the request otherwise
   */
  static void validateRow(BackboneConfig c, int[] prompt, DecodeRequest r) {
    if (prompt.length == 0) {
      throw new IllegalArgumentException("request " + r.id() + ": empty prompt");
    }
    if (r.maxNewTokens() < 1 || r.topK() < 1 || !(r.temperature() >= 0f)) {
      throw new IllegalArgumentException(
          "request " + r.id() + ": need max_new_tokens >= 1, top_k >= 1, temperature >= 0");
    }
    if (prompt.length + r.maxNewTokens() > c.maxPositions()) {
      throw new IllegalArgumentException(
          "request "
              + r.id()
              + ": prompt of "
              + prompt.length
              + " tokens + max_new_tokens "
              + r.maxNewTokens()
              + " exceeds the context of "
              + c.maxPositions());
    }
  }
}
