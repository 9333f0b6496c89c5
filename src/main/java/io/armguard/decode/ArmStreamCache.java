package io.armguard.decode;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import io.armguard.model.KvCache;
import io.armguard.model.TextTokenizer;
import io.armguard.reward.ArmRewardModel;
import java.util.Arrays;
import java.util.Collection;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Incremental prefix scoring of streamed replies with an ARM reward model: per stream, the model's
 * KV cache over BOS + the reply's <i>stable</i> tokens (those ending before its last whitespace,
 * which text appended later cannot re-tokenize) and the hidden state after the last of them, so a
 * scoring runs only the tokens after them, in one pass, and then cuts the cache back to the stable
 * ones ({@link KvCache#truncate}): the re-tokenized tail runs again next time, nothing else does.
 * An ARM token is scored from the hidden state after its predecessor, so the scores equal a full
 * {@link RewardPrefixScorer} pass over the same ids.
 *
 * <p>A cache of what the caller holds, never the truth: an entry is used only when the new text's
 * token ids start with the entry's; otherwise (a redaction rewrote the text) and for a stream not
 * cached (first scoring, after a restart or rebalance, after eviction) the reply is prefilled from
 * scratch. At most {@code maxCachedTokens} tokens are cached over all streams (least recently
 * scored evicted first; about 18 KB of native memory per token for MiniLM-L6). Not thread-safe: one
 * per engine, used from its decoding calls only; {@link #close} frees every entry.
 */
final class ArmStreamCache implements AutoCloseable {

  /** Tokens cached over all streams by default (about 300 MB for MiniLM-L6). */
  static final int DEFAULT_MAX_CACHED_TOKENS = 16_384;

  private final ArmRewardModel model;
  private final TextTokenizer tokenizer;
  private final NDManager parent;
  private final int steer;
  private final int maxCachedTokens;
  private final Map<String, Entry> entries = new LinkedHashMap<>(16, 0.75f, true);

  /** One stream's committed state: BOS + ids in the cache, their scores, the last hidden state. */
  private static final class Entry implements AutoCloseable {
    final NDManager manager;
    final KvCache cache;
    int[] ids = new int[0];
    float[] steering = new float[0];
    float[] lastLabels; // every label's score at the last committed token; null before one
    NDArray last; // [1, 1, d] hidden state after the last committed position; null before BOS

    Entry(NDManager parent, int layers) {
      manager = parent.newSubManager();
      cache = new KvCache(manager, layers);
    }

    @Override
    public void close() {
      manager.close(); // the cache's manager is a child of this one
    }
  }

  ArmStreamCache(
      ArmRewardModel model,
      TextTokenizer tokenizer,
      NDManager parent,
      int steer,
      int maxCachedTokens) {
    this.model = model;
    this.tokenizer = tokenizer;
    this.parent = parent;
    this.steer = steer;
    this.maxCachedTokens = maxCachedTokens;
  }

  /**
   * Scores each text, first dropping the entries of {@code forget} (streams that ended).
   *
   * @throws IllegalArgumentException when BOS + a text exceed the model's context (that stream's
   *     entry is dropped; so is the entry of a stream whose scoring fails otherwise)
   */
  List<StreamScores> score(List<StreamText> batch, Collection<String> forget) {
    forget.forEach(this::drop);
    StreamScores[] out = new StreamScores[batch.size()];
    for (int i = 0; i < batch.size(); i++) {
      StreamText t = batch.get(i);
      try {
        out[i] = scoreOne(t, i);
      } catch (RuntimeException e) {
        drop(t.streamId());
        throw e;
      }
    }
    evict();
    return List.of(out);
  }

  /** Streams cached now (tests). */
  int cachedStreams() {
    return entries.size();
  }

  /** Tokens cached now over all streams, BOS included (tests). */
  int cachedTokens() {
    return entries.values().stream().mapToInt(e -> e.ids.length + 1).sum();
  }

  private StreamScores scoreOne(StreamText t, int index) {
    TextTokenizer.Encoded enc = tokenizer.encodeWithOffsets(t.text());
    int[] ids = enc.ids();
    List<String> labels = model.info().labels();
    if (ids.length + 1 > model.maxTokens()) {
      throw new IllegalArgumentException(
          "text "
              + index
              + ": BOS + text are "
              + (ids.length + 1)
              + " tokens, more than the reward model's context of "
              + model.maxTokens());
    }
    if (ids.length == 0) {
      Map<String, Float> zeros = new LinkedHashMap<>();
      labels.forEach(l -> zeros.put(l, 0f));
      return new StreamScores(new PrefixScores(ids, enc.endChars(), new float[0], zeros), 0);
    }
    int stable = stableTokens(t.text(), enc.endChars());
    Entry e = entries.get(t.streamId());
    if (e != null && (e.ids.length > stable || !startsWith(ids, e.ids))) {
      drop(t.streamId()); // the text changed under the cached tokens: start over
      e = null;
    }
    if (e == null) {
      e = new Entry(parent, model.backbone().config().layerCount());
      entries.put(t.streamId(), e);
    }
    float[] steering = new float[ids.length];
    float[] finalLabels;
    int run;
    try (NDManager step = parent.newSubManager()) {
      int committed = e.ids.length;
      boolean first = e.last == null; // BOS runs too
      float[] scores = advance(e, Arrays.copyOfRange(ids, committed, ids.length), stable, step);
      int l = labels.size();
      int fresh = ids.length - committed;
      System.arraycopy(e.steering, 0, steering, 0, committed);
      for (int j = 0; j < fresh; j++) {
        steering[committed + j] = scores[j * l + steer];
      }
      finalLabels =
          fresh > 0 ? Arrays.copyOfRange(scores, (fresh - 1) * l, fresh * l) : e.lastLabels;
      if (stable > committed) {
        commit(e, ids, stable, steering, scores, committed, l);
      }
      run = fresh + (first ? 1 : 0);
    }
    Map<String, Float> last = new LinkedHashMap<>();
    for (int j = 0; j < labels.size(); j++) {
      last.put(labels.get(j), finalLabels[j]);
    }
    return new StreamScores(new PrefixScores(ids, enc.endChars(), steering, last), run);
  }

  /**
   * Runs {@code fresh} (after BOS when the entry is new) in one pass against the entry's cache,
   * then cuts the cache back to BOS + the {@code stable} first tokens of the text and keeps the
   * hidden state after the last of them; returns the fresh tokens' scores, [fresh * L] row-major.
   */
  private float[] advance(Entry e, int[] fresh, int stable, NDManager step) {
    boolean first = e.last == null;
    if (!first && fresh.length == 0) {
      return new float[0]; // nothing new since the last scoring
    }
    int committed = e.ids.length;
    int[] input = first ? prepend(model.bosId(), fresh) : fresh;
    NDArray hidden = forward(input, e.cache, step); // [1, n, d], the cache extended by n
    int n = input.length;
    int offset = first ? 1 : 0; // hidden column of the first fresh token's own state
    float[] scores = new float[0];
    if (fresh.length > 0) {
      // token j is scored from the hidden state after its predecessor
      NDArray prev =
          first
              ? hidden.get(new NDIndex(":, 0:{}, :", n - 1))
              : fresh.length == 1
                  ? lastIn(e, step)
                  : lastIn(e, step).concat(hidden.get(new NDIndex(":, 0:{}, :", n - 1)), 1);
      scores = scores(prev, fresh, step);
    }
    int keep = stable - committed; // fresh tokens that stay in the cache
    if (first || keep > 0) {
      NDArray last = hidden.get(new NDIndex(":, {}:{}, :", offset + keep - 1, offset + keep));
      last.attach(e.manager);
      if (e.last != null) {
        e.last.close();
      }
      e.last = last;
    }
    e.cache.truncate(1 + stable); // BOS + the stable tokens
    return scores;
  }

  /** Records the newly stable tokens' ids and scores in the entry. */
  private static void commit(
      Entry e, int[] ids, int stable, float[] steering, float[] scores, int committed, int l) {
    e.ids = Arrays.copyOf(ids, stable);
    e.steering = Arrays.copyOf(steering, stable);
    int lastFresh = stable - committed - 1;
    e.lastLabels = Arrays.copyOfRange(scores, lastFresh * l, (lastFresh + 1) * l);
  }

  /** A copy of the entry's last hidden state owned by {@code step} (ops on it stay there). */
  private static NDArray lastIn(Entry e, NDManager step) {
    NDArray d = e.last.duplicate();
    d.attach(step);
    return d;
  }

  /** The backbone over {@code ids} after what {@code cache} holds; [1, n, d] in {@code step}. */
  private NDArray forward(int[] ids, KvCache cache, NDManager step) {
    int past = cache.length();
    long[][] in = new long[1][ids.length];
    long[][] pos = new long[1][ids.length];
    for (int j = 0; j < ids.length; j++) {
      in[0][j] = ids[j];
      pos[0][j] = past + j;
    }
    long[][] mask = new long[1][past + ids.length];
    Arrays.fill(mask[0], 1L);
    return model.stepHidden(step.create(in), step.create(pos), step.create(mask), cache);
  }

  /** Clamped scores of {@code tokens} from the hidden states before them, [n * L] row-major. */
  private float[] scores(NDArray prevHidden, int[] tokens, NDManager step) {
    long[][] t = new long[1][tokens.length];
    for (int j = 0; j < tokens.length; j++) {
      t[0][j] = tokens[j];
    }
    NDArray raw = model.head().scores(prevHidden, step.create(t), model.embedding());
    return model.info().output().apply(raw).toFloatArray();
  }

  /**
   * Tokens that end at or before the text's last whitespace char (later text cannot change them).
   */
  static int stableTokens(String text, int[] endChars) {
    int ws = text.length() - 1;
    while (ws >= 0 && !Character.isWhitespace(text.charAt(ws))) {
      ws--;
    }
    int n = 0;
    while (n < endChars.length && endChars[n] <= ws) {
      n++;
    }
    return n;
  }

  private static boolean startsWith(int[] ids, int[] prefix) {
    return ids.length >= prefix.length
        && Arrays.equals(ids, 0, prefix.length, prefix, 0, prefix.length);
  }

  private static int[] prepend(int first, int[] rest) {
    int[] out = new int[rest.length + 1];
    out[0] = first;
    System.arraycopy(rest, 0, out, 1, rest.length);
    return out;
  }

  private void drop(String streamId) {
    Entry e = entries.remove(streamId);
    if (e != null) {
      e.close();
    }
  }

  /** Least recently scored streams go first until the cache fits its bound. */
  private void evict() {
    int total = cachedTokens();
    Iterator<Map.Entry<String, Entry>> it = entries.entrySet().iterator();
    while (total > maxCachedTokens && it.hasNext()) {
      Entry e = it.next().getValue();
      total -= e.ids.length + 1;
      e.close();
      it.remove();
    }
  }

  @Override
  public void close() {
    entries.values().forEach(Entry::close);
    entries.clear();
  }
}
