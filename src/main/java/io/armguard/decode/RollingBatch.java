package io.armguard.decode;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import io.armguard.model.CausalLm;
import io.armguard.model.KvCache;
import io.armguard.model.LeftPadding;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Iteration-level (continuous) decoding of rows that share the LM's token steps: rows <b>join at
 * token boundaries</b> ({@link #join}: the newcomers' prompts are prefilled as a batch of their
 * own, their first token chosen, then their KV caches and their guidance's state are stacked under
 * the running rows', the shorter side left-padded and masked) and <b>leave as soon as they
 * finish</b> ({@link #step} hands them back and selects them out of every cache). Columns that only
 * departed rows needed are dropped, so the cache is as wide as its longest live row.
 *
 * <p><b>Lanes.</b> Rows of different guidance (UNGUIDED, ARM, RAD per k) share the LM pass of every
 * step; each lane (one per caller-given key, one guidance provider) then chooses its own rows'
 * tokens from their logits with its own guidance state, whose rows are the lane's rows in batch
 * order.
 *
 * <p>Each row samples with its own seeded generator ({@link TokenChooser}), so its tokens do not
 * depend on when it joined or on its batch mates (up to float rounding of the padded passes).
 *
 * <p>Native memory: one sub-manager for the batch (caches, guidance state), one per pass. After a
 * method throws with {@link #intact} false, the batch's state is undefined: close it (its rows are
 * lost to the caller). Not thread-safe: one thread at a time (the decode worker).
 *
 * @param <T> what the caller tags each row with
 */
final class RollingBatch<T> implements AutoCloseable {

  /** A row that finished, with the caller's tag. */
  record Finished<T>(T tag, SequenceOutput output) {}

  /** The rows of one guidance: their guidance state holds them in batch order. */
  private static final class Lane {
    final Guidance guidance; // null for unguided rows

    Lane(Guidance guidance) {
      this.guidance = guidance;
    }
  }

  private final CausalLm lm;
  private final NDManager manager;
  private final int padId;
  private final TokenChooser chooser;
  private final List<T> tags = new ArrayList<>();
  private final List<RowState> rows = new ArrayList<>();
  private final List<Lane> rowLanes = new ArrayList<>(); // per row, its lane
  private final Map<Object, Lane> lanes = new LinkedHashMap<>();
  private KvCache cache; // null while empty
  private CacheRows pads;
  private boolean intact = true;

  /**
   * @param lm the language model
   * @param parent a manager on the LM's device; the batch works in a sub-manager of it
   * @param eosId the id that ends a sequence, or -1 to always decode the full budget
   */
  RollingBatch(CausalLm lm, NDManager parent, int eosId) {
    this.lm = lm;
    this.manager = parent.newSubManager();
    this.padId = Math.max(eosId, 0);
    this.chooser = new TokenChooser(eosId, lm.config().vocabSize());
  }

  /** Rows decoding now. */
  int size() {
    return rows.size();
  }

  /** Lanes (guidances) with rows now. */
  int lanes() {
    return lanes.size();
  }

  /**
   * Whether the batch is still usable after a method threw: true when it refused before changing
   * anything (a row {@link BatchDecoder#validateRow} refuses, a guidance that cannot follow rows).
   */
  boolean intact() {
    return intact;
  }

  /** The tags of the rows decoding now, in batch order (a copy). */
  List<T> tags() {
    return List.copyOf(tags);
  }

  /**
   * Prefills the newcomers of one lane, chooses their first token and adds them after the running
   * rows; returns those that are already done (a budget of one token, or EOS at once).
   *
   * @param lane the newcomers' lane: rows of equal keys share one guidance (e.g. strategy and k)
   * @param provider the lane's guidance, or null for unguided rows; its guidances must be able to
   *     drop and take in rows ({@link Guidance#canJoin}, {@link Guidance#canRetainRows}); the same
   *     provider for every join of one lane
   * @param prompts per newcomer, the LM's token ids (non-empty)
   * @param rewardPrefixes per newcomer, what the guidance's reward model has seen (may be empty;
   *     ignored when unguided)
   * @param requests per newcomer, its decoding parameters
   * @param newTags per newcomer, handed back with its output
   * @throws IllegalArgumentException for a row {@link BatchDecoder#validateRow} refuses (the batch
   *     is unchanged then)
   * @throws IllegalStateException for a guidance that cannot follow rows (unchanged then too)
   */
  List<Finished<T>> join(
      Object lane,
      GuidanceProvider provider,
      int[][] prompts,
      int[][] rewardPrefixes,
      List<DecodeRequest> requests,
      List<T> newTags) {
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
      }
      intact = false; // from here on a failure leaves the batch undefined
      if (newGuidance != null) {
        newGuidance.start(rewardPrefixes, manager);
      }
      NDList in = LeftPadding.pad(prompts, padId, step);
      NDArray hidden = lm.backbone().hidden(in.get(0), in.get(2), in.get(1), newCache, false);
      chooser.choose(lm.lastLogits(hidden), kMax(fresh), fresh, newGuidance, step);
      CacheRows newPads = new CacheRows(prompts);
      if (rows.isEmpty()) {
        cache = newCache;
        pads = newPads;
      } else {
        KvCache joined = KvCache.concatRows(cache, newCache, manager);
        cache.close();
        newCache.close();
        cache = joined;
        pads = pads.concat(newPads);
      }
      newCache = null; // the batch's now
      Lane mine = lanes.get(lane);
      if (mine == null) {
        mine = new Lane(newGuidance);
        lanes.put(lane, mine);
      } else if (mine.guidance != null) {
        mine.guidance.join(newGuidance, step); // closes newGuidance
      }
      newGuidance = null;
      rows.addAll(List.of(fresh));
      tags.addAll(newTags);
      for (int b = 0; b < n; b++) {
        rowLanes.add(mine);
      }
      List<Finished<T>> done = dropFinished(step);
      intact = true;
      return done;
    } finally {
      if (newCache != null) {
        newCache.close();
      }
      if (newGuidance != null) {
        newGuidance.close();
      }
    }
  }

  /**
   * One token for every row (one LM pass; each lane then chooses its rows' tokens); returns the
   * rows that finished with it (empty when none did).
   */
  List<Finished<T>> step() {
    if (rows.isEmpty()) {
      return List.of();
    }
    intact = false;
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
      NDArray logits = lm.lastLogits(hidden);
      if (lanes.size() == 1) {
        chooser.choose(logits, kMax(live), live, rowLanes.get(0).guidance, step);
      } else {
        for (Lane lane : lanes.values()) {
          long[] mine = rowsOf(lane);
          RowState[] laneRows = new RowState[mine.length];
          for (int i = 0; i < mine.length; i++) {
            laneRows[i] = live[(int) mine[i]];
          }
          NDArray laneLogits = logits.get(new NDIndex("{}", step.create(mine)));
          chooser.choose(laneLogits, kMax(laneRows), laneRows, lane.guidance, step);
        }
      }
      List<Finished<T>> done = dropFinished(step);
      intact = true;
      return done;
    }
  }

  /** The batch indices of {@code lane}'s rows, ascending (the order of its guidance's rows). */
  private long[] rowsOf(Lane lane) {
    long[] out = new long[rows.size()];
    int n = 0;
    for (int i = 0; i < rowLanes.size(); i++) {
      if (rowLanes.get(i) == lane) {
        out[n++] = i;
      }
    }
    return Arrays.copyOf(out, n);
  }

  /** The widest top-k any row asks for (rows sample among their own top-k of these). */
  private int kMax(RowState[] live) {
    int k = 1;
    for (RowState r : live) {
      k = Math.max(k, r.request().topK());
    }
    return Math.min(k, lm.config().vocabSize());
  }

  /** Hands back finished rows and selects them out of the caches and the lanes' guidance. */
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
    long[] idx = Arrays.copyOf(keep, kept);
    KvCache smaller = cache.select(step.create(idx));
    cache.close();
    cache = smaller;
    pads.retain(idx);
    cache.dropLeading(pads.dropCommonPadding());
    retainLanes(step);
    List<RowState> keptRows = new ArrayList<>(kept);
    List<T> keptTags = new ArrayList<>(kept);
    List<Lane> keptLanes = new ArrayList<>(kept);
    for (long i : idx) {
      keptRows.add(rows.get((int) i));
      keptTags.add(tags.get((int) i));
      keptLanes.add(rowLanes.get((int) i));
    }
    rows.clear();
    tags.clear();
    rowLanes.clear();
    rows.addAll(keptRows);
    tags.addAll(keptTags);
    rowLanes.addAll(keptLanes);
    return out;
  }

  /** Selects each lane's finished rows out of its guidance; closes lanes left without rows. */
  private void retainLanes(NDManager step) {
    for (Iterator<Lane> it = lanes.values().iterator(); it.hasNext(); ) {
      Lane lane = it.next();
      long[] local = new long[rows.size()];
      int inLane = 0;
      int kept = 0;
      boolean dropped = false;
      for (int i = 0; i < rows.size(); i++) {
        if (rowLanes.get(i) != lane) {
          continue;
        }
        if (rows.get(i).done) {
          dropped = true;
        } else {
          local[kept++] = inLane;
        }
        inLane++;
      }
      if (kept == 0) {
        if (lane.guidance != null) {
          lane.guidance.close();
        }
        it.remove();
      } else if (dropped && lane.guidance != null) {
        lane.guidance.retainRows(step.create(Arrays.copyOf(local, kept)), step);
      }
    }
  }

  /** Drops every row and frees the caches and the guidance state. */
  private void clear() {
    rows.clear();
    tags.clear();
    rowLanes.clear();
    if (cache != null) {
      cache.close();
      cache = null;
    }
    for (Lane lane : lanes.values()) {
      if (lane.guidance != null) {
        lane.guidance.close();
      }
    }
    lanes.clear();
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
