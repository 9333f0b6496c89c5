package io.armguard.decode;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import io.armguard.model.KvCache;
import io.armguard.model.TextTokenizer;
import io.armguard.reward.ArmRewardModel;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.HashSet;
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
 * <p>The streams of one {@link #score} call share forward passes as {@link StreamBatching} groups
 * them: within a pass each stream's cache is left-padded to the longest (padding masked, position
 * ids its own) and its new tokens right-padded to the longest, so one pass runs B rows of ragged
 * cache lengths and ragged new-token counts; afterwards each stream's cache is cut out of the
 * batch's into its own memory. Padding is masked out of attention, so the scores stay those of a
 * fresh pass (within float tolerance: the batched matrix products sum in another order).
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
  private final StreamBatching batching;
  private long forwardPasses;
  private final Map<String, Entry> entries = new LinkedHashMap<>(16, 0.75f, true);

  /** One stream's committed state: BOS + ids in the cache, their scores, the last hidden state. */
  private static final class Entry implements AutoCloseable {
    final NDManager manager;
    KvCache cache; // replaced by a slice of the batch's cache after each pass
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
      int maxCachedTokens,
      StreamBatching batching) {
    this.model = model;
    this.tokenizer = tokenizer;
    this.parent = parent;
    this.steer = steer;
    this.maxCachedTokens = maxCachedTokens;
    this.batching = batching;
  }

  /**
   * Scores each text, first dropping the entries of {@code forget} (streams that ended). The
   * streams with tokens to run share forward passes as {@link StreamBatching} groups them.
   *
   * @throws IllegalArgumentException when BOS + a text exceed the model's context (that stream's
   *     entry is dropped; when a forward pass fails otherwise, the entries of its group are)
   */
  List<StreamScores> score(List<StreamText> batch, Collection<String> forget) {
    forget.forEach(this::drop);
    if (new HashSet<>(batch.stream().map(StreamText::streamId).toList()).size() < batch.size()) {
      throw new IllegalArgumentException("a stream appears twice in one call");
    }
    List<Row> rows = new ArrayList<>(batch.size());
    for (int i = 0; i < batch.size(); i++) {
      rows.add(prepare(batch.get(i), i));
    }
    List<Row> running = rows.stream().filter(r -> r.input.length > 0).toList();
    for (List<Row> group : batching.groups(running, r -> r.input.length)) {
      try {
        run(group);
      } catch (RuntimeException e) {
        group.forEach(r -> drop(r.streamId));
        throw e;
      }
    }
    List<StreamScores> out = rows.stream().map(this::result).toList();
    evict();
    return out;
  }

  /** Forward passes run so far (tests). */
  long forwardPasses() {
    return forwardPasses;
  }

  /** Streams cached now (tests). */
  int cachedStreams() {
    return entries.size();
  }

  /** Tokens cached now over all streams, BOS included (tests). */
  int cachedTokens() {
    return entries.values().stream().mapToInt(e -> e.ids.length + 1).sum();
  }

  /** One text of a call: its tokens, its entry and what runs for it. */
  private static final class Row {
    final String streamId;
    final TextTokenizer.Encoded enc;
    final int stable; // tokens before the text's last whitespace
    final Entry entry; // null for an empty text
    final int committed; // tokens the entry had before this call
    final boolean first; // BOS runs too
    final int[] input; // tokens to run: (BOS +) the tokens after the committed ones
    float[] scores = new float[0]; // the fresh tokens' scores, [fresh * L]

    Row(String streamId, TextTokenizer.Encoded enc, int stable, Entry entry, int[] input) {
      this.streamId = streamId;
      this.enc = enc;
      this.stable = stable;
      this.entry = entry;
      this.committed = entry == null ? 0 : entry.ids.length;
      this.first = entry != null && entry.last == null;
      this.input = input;
    }

    int fresh() {
      return enc.ids().length - committed;
    }
  }

  /** Tokenizes a text and finds (or starts) its entry; checks it fits the context. */
  private Row prepare(StreamText t, int index) {
    TextTokenizer.Encoded enc = tokenizer.encodeWithOffsets(t.text());
    int[] ids = enc.ids();
    if (ids.length + 1 > model.maxTokens()) {
      drop(t.streamId());
      throw new IllegalArgumentException(
          "text "
              + index
              + ": BOS + text are "
              + (ids.length + 1)
              + " tokens, more than the reward model's context of "
              + model.maxTokens());
    }
    if (ids.length == 0) {
      return new Row(t.streamId(), enc, 0, null, new int[0]);
    }
    int stable = stableTokens(t.text(), enc.endChars());
    Entry e = entries.get(t.streamId());
    if (e != null && (e.ids.length > stable || !startsWith(ids, e.ids))) {
      drop(t.streamId()); // the text changed under the cached tokens: start over
      e = null;
    }
    if (e == null) {
      e = new Entry(parent, layers());
      entries.put(t.streamId(), e);
    }
    int[] fresh = Arrays.copyOfRange(ids, e.ids.length, ids.length);
    int[] input = e.last == null ? prepend(model.bosId(), fresh) : fresh;
    return new Row(t.streamId(), enc, stable, e, input);
  }

  /**
   * One forward pass over the group's inputs against their caches, stacked: row b's cache
   * left-padded to the longest, its input right-padded to the longest, padding masked. Then the
   * fresh tokens' scores in one head call, and per row the cache cut back to BOS + its stable
   * tokens and the hidden state after the last of them.
   */
  private void run(List<Row> group) {
    int b = group.size();
    int width = 0;
    int n = 0;
    for (Row r : group) {
      width = Math.max(width, r.entry.cache.length());
      n = Math.max(n, r.input.length);
    }
    try (NDManager step = parent.newSubManager()) {
      long[][] ids = new long[b][n];
      long[][] pos = new long[b][n];
      long[][] mask = new long[b][width + n];
      List<KvCache> caches = new ArrayList<>(b);
      for (int i = 0; i < b; i++) {
        Row r = group.get(i);
        int past = r.entry.cache.length();
        for (int j = 0; j < r.input.length; j++) {
          ids[i][j] = r.input[j];
          pos[i][j] = past + j;
        }
        Arrays.fill(mask[i], width - past, width + r.input.length, 1L);
        caches.add(r.entry.cache);
      }
      KvCache stacked = KvCache.stack(caches, width, layers(), step);
      forwardPasses++;
      NDArray hidden = // [b, n, d]; stacked now holds width + n columns
          model.stepHidden(step.create(ids), step.create(pos), step.create(mask), stacked);
      scoreFresh(group, hidden, step);
      for (int i = 0; i < b; i++) {
        keep(group.get(i), i, hidden, stacked, width);
      }
    }
  }

  /** Every row's fresh tokens scored from the hidden states before them, in one head call. */
  private void scoreFresh(List<Row> group, NDArray hidden, NDManager step) {
    NDList prev = new NDList();
    List<Long> tokens = new ArrayList<>();
    for (int i = 0; i < group.size(); i++) {
      Row r = group.get(i);
      int fresh = r.fresh();
      if (fresh == 0) {
        continue;
      }
      // token j is scored from the hidden state after its predecessor: BOS's column when the row
      // ran BOS, else the entry's last hidden state, then the columns of the run tokens before it
      int fromHidden = r.first ? fresh : fresh - 1;
      if (!r.first) {
        prev.add(lastIn(r.entry, step));
      }
      if (fromHidden > 0) {
        prev.add(hidden.get(new NDIndex("{}:{}, 0:{}, :", i, i + 1, fromHidden)));
      }
      int[] ids = r.enc.ids();
      for (int j = r.committed; j < ids.length; j++) {
        tokens.add((long) ids[j]);
      }
    }
    if (tokens.isEmpty()) {
      return;
    }
    NDArray prevHidden = prev.size() == 1 ? prev.get(0) : NDArrays.concat(prev, 1);
    long[][] t = new long[1][tokens.size()];
    for (int j = 0; j < t[0].length; j++) {
      t[0][j] = tokens.get(j);
    }
    NDArray raw = model.head().scores(prevHidden, step.create(t), model.embedding());
    float[] all = model.info().output().apply(raw).toFloatArray();
    int l = model.info().labels().size();
    int at = 0;
    for (Row r : group) {
      int len = r.fresh() * l;
      r.scores = Arrays.copyOfRange(all, at, at + len);
      at += len;
    }
  }

  /**
   * Row {@code i}'s entry after the pass: its cache becomes BOS + its stable tokens (the columns it
   * had, then the run ones it keeps), its last hidden state the one after the last of them, and its
   * ids and scores the stable ones'.
   */
  private void keep(Row r, int i, NDArray hidden, KvCache stacked, int width) {
    Entry e = r.entry;
    int keep = r.stable - r.committed; // run tokens (after BOS) that stay cached
    if (!r.first && keep == 0) {
      return; // the cache, last hidden state and committed scores stay as they were
    }
    int past = e.cache.length();
    int offset = r.first ? 1 : 0; // hidden column of the first fresh token's own state
    NDArray last; // its own copy: a view would keep the whole batch's hidden states alive
    try (NDArray view =
        hidden.get(new NDIndex("{}:{}, {}:{}, :", i, i + 1, offset + keep - 1, offset + keep))) {
      last = view.duplicate();
    }
    last.attach(e.manager);
    if (e.last != null) {
      e.last.close();
    }
    e.last = last;
    KvCache kept = stacked.slice(i, width - past, width + offset + keep, e.manager);
    e.cache.close();
    e.cache = kept;
    if (keep > 0) {
      int l = model.info().labels().size();
      float[] steering = steeringOf(r);
      e.ids = Arrays.copyOf(r.enc.ids(), r.stable);
      e.steering = Arrays.copyOf(steering, r.stable);
      e.lastLabels = Arrays.copyOfRange(r.scores, (keep - 1) * l, keep * l);
    }
  }

  private StreamScores result(Row r) {
    List<String> labels = model.info().labels();
    int[] ids = r.enc.ids();
    Map<String, Float> last = new LinkedHashMap<>();
    if (ids.length == 0) {
      labels.forEach(label -> last.put(label, 0f));
      return new StreamScores(new PrefixScores(ids, r.enc.endChars(), new float[0], last), 0);
    }
    int l = labels.size();
    int fresh = r.fresh();
    float[] finalLabels =
        fresh > 0 ? Arrays.copyOfRange(r.scores, (fresh - 1) * l, fresh * l) : r.entry.lastLabels;
    for (int j = 0; j < l; j++) {
      last.put(labels.get(j), finalLabels[j]);
    }
    return new StreamScores(
        new PrefixScores(ids, r.enc.endChars(), steeringOf(r), last), r.input.length);
  }

  /** The steering scores of a row after its pass (the entry may have committed some of them). */
  private float[] steeringOf(Row r) {
    int[] ids = r.enc.ids();
    float[] steering = new float[ids.length];
    int l = model.info().labels().size();
    System.arraycopy(r.entry.steering, 0, steering, 0, r.committed);
    for (int j = 0; j < ids.length - r.committed; j++) {
      steering[r.committed + j] = r.scores[j * l + steer];
    }
    return steering;
  }

  private int layers() {
    return model.backbone().config().layerCount();
  }

  /** A copy of the entry's last hidden state owned by {@code step} (ops on it stay there). */
  private static NDArray lastIn(Entry e, NDManager step) {
    NDArray d = e.last.duplicate();
    d.attach(step);
    return d;
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
