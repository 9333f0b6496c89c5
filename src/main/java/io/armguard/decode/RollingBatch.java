package io.armguard.decode;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import io.armguard.model.CausalLm;
import io.armguard.model.KvCache;
import io.armguard.model.LeftPadding;
import java.util.ArrayList;
import java.util.List;

/**
 * Iteration-level (continuous) decoding of one group of compatible rows (one guidance provider):
 * rows <b>join at token boundaries</b> ({@link #join}: the newcomers' prompts are prefilled as a
 * batch of their own, their first token chosen, then their KV caches and the guidance's state are
 * stacked under the running rows', the shorter side left-padded and masked) and <b>leave as soon as
 * they finish</b> ({@link #step} hands them back and selects them out of every cache). Columns that
 * only departed rows needed are dropped, so the cache is as wide as its longest live row.
 *
 * <p>Each row samples with its own seeded generator ({@link TokenChooser}), so its tokens do not
 * depend on when it joined or on its batch mates (up to float rounding of the padded passes).
 *
 * <p>Native memory: one sub-manager for the batch (caches, guidance state), one per pass. After a
 * method throws, the batch's state is undefined: close it (its rows are lost to the caller). Not
 * thread-safe: one thread at a time (the decode worker).
 *
 * @param <T> what the caller tags each row with
 */
final class RollingBatch<T> implements AutoCloseable {

  /** A row that finished, with the caller's tag. */
  record Finished<T>(T tag, SequenceOutput output) {}

  private final CausalLm lm;
  private final NDManager manager;
  private final int padId;
  private final GuidanceProvider provider;
  private final TokenChooser chooser;
  private final List<T> tags = new ArrayList<>();
  private final List<RowState> rows = new ArrayList<>();
  private KvCache cache; // null while empty
  private CacheRows pads;
  private Guidance guidance;

  /**
   * @param lm the language model
   * @param parent a manager on the LM's device; the batch works in a sub-manager of it
   * @param eosId the id that ends a sequence, or -1 to always decode the full budget
   * @param provider the rows' guidance, or null for unguided rows; its guidances must be able to
   *     drop and take in rows ({@link Guidance#canJoin}, {@link Guidance#canRetainRows})
   */
  RollingBatch(CausalLm lm, NDManager parent, int eosId, GuidanceProvider provider) {
    this.lm = lm;
    this.manager = parent.newSubManager();
    this.padId = Math.max(eosId, 0);
    this.provider = provider;
    this.chooser = new TokenChooser(eosId, lm.config().vocabSize());
  }

  /** Rows decoding now. */
  int size() {
    return rows.size();
  }

  /** The tags of the rows decoding now, in batch order (a copy). */
  List<T> tags() {
    return List.copyOf(tags);
  }

  /**
   * Prefills the newcomers, chooses their first token and adds them after the running rows; returns
   * those that are already done (a budget of one token, or EOS at once).
   *
   * @param prompts per newcomer, the LM's token ids (non-empty)
   * @param rewardPrefixes per newcomer, what the guidance's reward model has seen (may be empty;
   *     ignored when unguided)
   * @param requests per newcomer, its decoding parameters
   * @param newTags per newcomer, handed back with its output
   * @throws IllegalArgumentException for a row {@link BatchDecoder#validateRow} refuses (the batch
   *     is unchanged then)
   */
  List<Finished<T>> join(
      int[][] prompts, int[][] rewardPrefixes, List<DecodeRequest> requests, List<T> newTags) {
    int n = prompts.length;
    if (n == 0 || requests.size() != n || rewardPrefixes.length != n || newTags.size() != n) {
      throw new IllegalArgumentException("need one prompt, prefix, request and tag per newcomer");
    }
    RowState[] fresh = new RowState[n];
    for (int b = 0; b < n; b++) {
      BatchDecoder.validateRow(lm.config(), prompts[b], requests.get(b));
      fresh[b] = new RowState(requests.get(b));
    }
    KvCache newCache = new KvCache(manager, lm.config().layerCount());
    Guidance newGuidance = null;
    try (NDManager step = manager.newSubManager()) {
      if (provider != null) {
        newGuidance = provider.open(requests, manager);
        if (!newGuidance.canJoin() || !newGuidance.canRetainRows()) {
          throw new IllegalStateException(
              provider.strategy() + " guidance cannot follow rows joining and leaving");
        }
        newGuidance.start(rewardPrefixes, manager);
      }
      NDList in = LeftPadding.pad(prompts, padId, step);
      NDArray hidden = lm.backbone().hidden(in.get(0), in.get(2), in.get(1), newCache, false);
      chooser.choose(lm.lastLogits(hidden), kMax(fresh), fresh, newGuidance, step);
      CacheRows newPads = new CacheRows(prompts);
      if (rows.isEmpty()) {
        cache = newCache;
        pads = newPads;
        guidance = newGuidance;
      } else {
        KvCache joined = KvCache.concatRows(cache, newCache, manager);
        cache.close();
        newCache.close();
        cache = joined;
        pads = pads.concat(newPads);
        if (guidance != null) {
          guidance.join(newGuidance, step);
        }
      }
      newCache = null;
      newGuidance = null; // both belong to the batch now
      rows.addAll(List.of(fresh));
      tags.addAll(newTags);
      return dropFinished(step);
    } finally {
      if (newCache != null) {
        newCache.close();
      }
      if (newGuidance != null) {
        newGuidance.close();
      }
    }
  }

  /** One token for every row; returns the rows that finished with it (empty when none did). */
  List<Finished<T>> step() {
    if (rows.isEmpty()) {
      return List.of();
    }
    RowState[] live = rows.toArray(new RowState[0]);
    try (NDManager step = manager.newSubManager()) {
      long[][] ids = new long[live.length][1];
      for (int i = 0; i < live.length; i++) {
        ids[i][0] = live[i].lastToken;
      }
      NDList next = pads.nextToken(1, step); // position ids, mask over cache + new column
      NDArray hidden =
          lm.backbone().hidden(step.create(ids), next.get(0), next.get(1), cache, false);
      pads.grow();
      chooser.choose(lm.lastLogits(hidden), kMax(live), live, guidance, step);
      return dropFinished(step);
    }
  }

  /** The widest top-k any row asks for (rows sample among their own top-k of these). */
  private int kMax(RowState[] live) {
    int k = 1;
    for (RowState r : live) {
      k = Math.max(k, r.request().topK());
    }
    return Math.min(k, lm.config().vocabSize());
  }

  /** Hands back finished rows and selects them out of the caches and the guidance. */
  private List<Finished<T>> dropFinished(NDManager step) {
    List<Finished<T>> out = new ArrayList<>();
    int kept = 0;
    long[] keep = new long[rows.size()];
    for (int i = 0; i < rows.size(); i++) {
      if (rows.get(i).done) {
        out.add(new Finished<>(tags.get(i), rows.get(i).output()));
      } else {
        keep[kept++] = i;
      }
    }
    if (out.isEmpty()) {
      return out;
    }
    if (kept == 0) {
      clear();
      return out;
    }
    long[] idx = java.util.Arrays.copyOf(keep, kept);
    NDArray keepRows = step.create(idx);
    KvCache smaller = cache.select(keepRows);
    cache.close();
    cache = smaller;
    pads.retain(idx);
    cache.dropLeading(pads.dropCommonPadding());
    if (guidance != null) {
      guidance.retainRows(keepRows, step);
    }
    List<RowState> keptRows = new ArrayList<>(kept);
    List<T> keptTags = new ArrayList<>(kept);
    for (long i : idx) {
      keptRows.add(rows.get((int) i));
      keptTags.add(tags.get((int) i));
    }
    rows.clear();
    tags.clear();
    rows.addAll(keptRows);
    tags.addAll(keptTags);
    return out;
  }

  /** Drops every row and frees the caches and the guidance state. */
  private void clear() {
    rows.clear();
    tags.clear();
    if (cache != null) {
      cache.close();
      cache = null;
    }
    if (guidance != null) {
      guidance.close();
      guidance = null;
    }
    pads = null;
  }

  /** Frees everything; rows still decoding are lost. */
  @Override
  public void close() {
    try {
      clear();
    } finally {
      manager.close();
    }
  }
}
