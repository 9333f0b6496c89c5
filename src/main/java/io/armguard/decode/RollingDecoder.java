package io.armguard.decode;

import ai.djl.ndarray.NDManager;
import io.armguard.model.CausalLm;
import io.armguard.model.EngineThreads;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@link ContinuousDecoding} over a {@link DecodingEngine}'s LM and guidance providers: one {@link
 * RollingBatch} whose LM token step every row shares, whatever its strategy (within it one lane per
 * strategy, for RAD also per k, since its cache holds k copies per row), plus one batch per row
 * being retried alone; each stepped once per {@link #iterate}. Tokenizing and validating happen in
 * {@link #admit}, on the caller's thread, so a request the engine refuses never reaches the decode
 * thread.
 */
final class RollingDecoder implements ContinuousDecoding {

  private static final Logger LOG = LoggerFactory.getLogger(RollingDecoder.class);

  /** Which rows may share a pass: all but a row retried alone ({@code alone} > 0). */
  private record Group(Strategy strategy, int radK, long alone) {
    /** The batch a row decodes in: 0 = the shared one. */
    long batch() {
      return alone;
    }

    /** The lane within the batch: rows of one guidance state. */
    Lane lane() {
      return new Lane(strategy, radK);
    }
  }

  /** A lane key of the shared batch. */
  private record Lane(Strategy strategy, int radK) {}

  /** One admitted request; told its outcome once. */
  private static final class Row {
    final DecodeRequest request;
    final int[] prompt;
    final int[] rewardPrefix;
    final Listener listener;
    final Group group;
    final long admittedAt; // the decoder's iteration count when admitted
    boolean told;

    Row(
        DecodeRequest request,
        int[] prompt,
        int[] rewardPrefix,
        Listener listener,
        Group group,
        long admittedAt) {
      this.request = request;
      this.prompt = prompt;
      this.rewardPrefix = rewardPrefix;
      this.listener = listener;
      this.group = group;
      this.admittedAt = admittedAt;
    }
  }

  private final DecodingEngine engine;
  private final CausalLm lm;
  private final NDManager manager;
  private final int eosId;
  private final int maxRows;
  private final Admissions<Row> admitted = new Admissions<>();
  private final AtomicLong aloneIds = new AtomicLong();
  private final Map<Long, RollingBatch<Row>> batches = new LinkedHashMap<>(); // by Group.batch()
  private volatile long iterations;

  /**
   * Most iterations an admitted row waits for company before it joins a running batch anyway. A
   * join costs a prefill pass of its own and a copy of the running caches, so under load newcomers
   * join in groups (see {@link #joinNow}); an idle or small batch takes them at once.
   */
  static final int MAX_JOIN_WAIT_ITERATIONS = 4;

  RollingDecoder(DecodingEngine engine, CausalLm lm, NDManager parent, int eosId, int maxRows) {
    if (maxRows < 1) {
      throw new IllegalArgumentException("maxRows must be >= 1, got " + maxRows);
    }
    this.engine = engine;
    this.lm = lm;
    this.manager = parent.newSubManager();
    this.eosId = eosId;
    this.maxRows = maxRows;
  }

  @Override
  public void admit(DecodeRequest request, boolean alone, Listener listener) {
    engine.providerFor(request.strategy()); // refuses a strategy without its reward model
    int[] prompt = engine.promptIds(request.prompt());
    BatchDecoder.validateRow(lm.config(), prompt, request);
    int[] reward = engine.rewardPrefix(request, prompt);
    int radK =
        request.strategy() == Strategy.RAD ? Math.min(request.topK(), lm.config().vocabSize()) : 0;
    Group group = new Group(request.strategy(), radK, alone ? aloneIds.incrementAndGet() : 0);
    admitted.add(new Row(request, prompt, reward, listener, group, iterations));
  }

  @Override
  public int rows() {
    return admitted.rows();
  }

  @Override
  public Stats stats() {
    return admitted.stats();
  }

  @Override
  public int iterate() {
    return EngineThreads.inferenceOnly(this::iterateOnce);
  }

  private int iterateOnce() {
    iterations++; // only this thread writes it
    int running = 0;
    for (RollingBatch<Row> b : batches.values()) {
      running += b.size();
    }
    Map<Group, List<Row>> joining = new LinkedHashMap<>();
    Row r;
    boolean join = joinNow(running);
    while (join && running < maxRows && (r = admitted.poll()) != null) {
      joining.computeIfAbsent(r.group, k -> new ArrayList<>()).add(r);
      running++;
    }
    for (Map.Entry<Group, List<Row>> e : joining.entrySet()) {
      RollingBatch<Row> batch =
          batches.computeIfAbsent(e.getKey().batch(), k -> new RollingBatch<>(lm, manager, eosId));
      join(e.getKey(), batch, e.getValue());
    }
    int stepped = 0;
    for (Iterator<Map.Entry<Long, RollingBatch<Row>>> it = batches.entrySet().iterator();
        it.hasNext(); ) {
      RollingBatch<Row> batch = it.next().getValue();
      int n = batch.size();
      if (n > 0) {
        try {
          List<RollingBatch.Finished<Row>> done = batch.step();
          admitted.stepped(n);
          stepped += n;
          deliver(done);
        } catch (RuntimeException ex) {
          fail(batch.tags(), ex);
          batch.close();
          it.remove();
          continue;
        }
      }
      if (batch.size() == 0) {
        batch.close();
        it.remove();
      }
    }
    return stepped;
  }

  /**
   * Whether admitted rows join this iteration: always when nothing or little is running; else once
   * they are a quarter of the running rows (or fill the free room), or the oldest has waited {@link
   * #MAX_JOIN_WAIT_ITERATIONS}.
   */
  private boolean joinNow(int running) {
    Row oldest = admitted.peek();
    if (oldest == null || running >= maxRows) {
      return false;
    }
    int wanted = Math.min(maxRows - running, Math.max(1, running / 4));
    return admitted.waiting() >= wanted
        || iterations - oldest.admittedAt >= MAX_JOIN_WAIT_ITERATIONS;
  }

  private void join(Group group, RollingBatch<Row> batch, List<Row> rows) {
    int n = rows.size();
    int[][] prompts = new int[n][];
    int[][] rewards = new int[n][];
    List<DecodeRequest> requests = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      prompts[i] = rows.get(i).prompt;
      rewards[i] = rows.get(i).rewardPrefix;
      requests.add(rows.get(i).request);
    }
    try {
      deliver(
          batch.join(
              group.lane(),
              engine.providerFor(group.strategy()),
              prompts,
              rewards,
              requests,
              rows));
    } catch (RuntimeException ex) {
      fail(rows, ex);
      if (!batch.intact()) {
        // the batch's state is undefined after a failed pass: its rows are lost too
        fail(batch.tags(), ex);
        batch.close();
        batches.remove(group.batch());
      } else if (batch.size() == 0) {
        batch.close();
        batches.remove(group.batch());
      }
    }
  }

  private void deliver(List<RollingBatch.Finished<Row>> done) {
    for (RollingBatch.Finished<Row> f : done) {
      Row row = f.tag();
      DecodeResult result;
      try {
        result = engine.result(row.request, row.prompt.length, f.output());
      } catch (RuntimeException ex) {
        tell(row, null, ex);
        continue;
      }
      tell(row, result, null);
    }
  }

  private void fail(List<Row> rows, RuntimeException cause) {
    int lost = 0;
    for (Row row : rows) {
      lost += row.told ? 0 : 1;
      tell(row, null, cause);
    }
    if (lost > 0) {
      LOG.warn(
          "a decode pass failed; {} rows lost ({}: {})",
          lost,
          rows.stream().map(row -> row.request.strategy()).distinct().toList(),
          cause.toString());
    }
  }

  private void tell(Row row, DecodeResult result, RuntimeException cause) {
    if (row.told) {
      return;
    }
    row.told = true;
    admitted.told();
    try {
      if (result != null) {
        row.listener.done(result);
      } else {
        row.listener.failed(cause);
      }
    } catch (RuntimeException ex) {
      LOG.error("a decode listener failed on request {}", row.request.id(), ex);
    }
  }

  @Override
  public void close() {
    IllegalStateException gone = new IllegalStateException("the continuous decoder closed");
    admitted.close().forEach(r -> tell(r, null, gone));
    for (RollingBatch<Row> batch : batches.values()) {
      batch.tags().forEach(row -> tell(row, null, gone));
      batch.close();
    }
    batches.clear();
    manager.close();
  }
}
