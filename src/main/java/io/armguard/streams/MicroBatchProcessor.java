package io.armguard.streams;

import io.armguard.decode.GuidedEngine;
import io.armguard.moderate.BatchModerator;
import io.armguard.moderate.ModerationPolicy;
import io.armguard.moderate.Task;
import io.armguard.moderate.Verdict;
import io.armguard.schema.BufferedRequest;
import io.armguard.schema.Timings;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.function.LongSupplier;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.processor.PunctuationType;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Buffers validated requests in a changelogged key-value store (key: arrival sequence, so the
 * store's order is arrival order) and decodes them a batch at a time, DJL Serving's {@code
 * batch_size} / {@code max_batch_delay} semantics: a flush happens when {@code batch.size} requests
 * wait, or when a wall-clock punctuator finds that the oldest has waited {@code
 * batch.max.delay.ms}. A flush forwards one completion and one audit record per request and deletes
 * the requests from the store; under exactly-once both land in the same transaction, so a crash in
 * between re-decodes the batch from the restored store and nothing is lost or emitted twice.
 *
 * <p>The engine is the stream thread's own ({@link EnginePool}). When a batch's decode throws, its
 * requests are decoded one by one, and a request that still fails is answered REJECTED naming the
 * error: no request is left without an answer and the stream thread lives on.
 */
public final class MicroBatchProcessor
    implements Processor<String, BufferedRequest, String, Object> {

  private static final Logger LOG = LoggerFactory.getLogger(MicroBatchProcessor.class);

  private final String storeName;
  private final int batchSize;
  private final long maxDelayMs;
  private final EnginePool engines;
  private final ModerationPolicy policy;
  private final TaskFactory tasks;
  private final OutcomeRecords outcomes;
  private final PipelineMetrics metrics;
  private final LongSupplier wallClock;

  private ProcessorContext<String, Object> context;
  private KeyValueStore<Long, BufferedRequest> store;
  private GuidedEngine engine;
  private BatchModerator moderator;
  private long nextSequence;
  private int buffered;
  private long oldestEnqueuedMs = Long.MAX_VALUE;

  public MicroBatchProcessor(
      String storeName,
      int batchSize,
      long maxDelayMs,
      EnginePool engines,
      ModerationPolicy policy,
      TaskFactory tasks,
      OutcomeRecords outcomes,
      PipelineMetrics metrics,
      LongSupplier wallClock) {
    this.storeName = storeName;
    this.batchSize = batchSize;
    this.maxDelayMs = maxDelayMs;
    this.engines = engines;
    this.policy = policy;
    this.tasks = tasks;
    this.outcomes = outcomes;
    this.metrics = metrics;
    this.wallClock = wallClock;
  }

  @Override
  public void init(ProcessorContext<String, Object> context) {
    this.context = context;
    this.store = context.getStateStore(storeName);
    this.engine = engines.forCurrentThread();
    this.moderator = new BatchModerator(engine, policy);
    recoverBufferState();
    context.schedule(punctuationInterval(maxDelayMs), PunctuationType.WALL_CLOCK_TIME, this::tick);
  }

  /** Checks a few times per delay so a batch leaves at most ~25% later than its deadline. */
  static Duration punctuationInterval(long maxDelayMs) {
    return Duration.ofMillis(Math.max(1, maxDelayMs / 4));
  }

  /** After a restart the store may hold requests buffered before the crash: count them. */
  private void recoverBufferState() {
    buffered = 0;
    nextSequence = 0;
    oldestEnqueuedMs = Long.MAX_VALUE;
    try (KeyValueIterator<Long, BufferedRequest> it = store.all()) {
      while (it.hasNext()) {
        KeyValue<Long, BufferedRequest> kv = it.next();
        buffered++;
        nextSequence = Math.max(nextSequence, kv.key + 1);
        oldestEnqueuedMs = Math.min(oldestEnqueuedMs, kv.value.getEnqueuedAt().toEpochMilli());
      }
    }
    if (buffered > 0) {
      LOG.info(
          "task {}: {} buffered requests recovered from the store", context.taskId(), buffered);
    }
  }

  @Override
  public void process(Record<String, BufferedRequest> record) {
    BufferedRequest value = record.value();
    // Why not context.currentSystemTimeMs(): the stream thread caches that once per loop, and after
    // a long flush it lies in the past, making fresh requests look overdue (half-empty batches).
    value.setEnqueuedAt(Instant.ofEpochMilli(wallClock.getAsLong()));
    value.setSequence(nextSequence);
    store.put(nextSequence++, value);
    buffered++;
    oldestEnqueuedMs = Math.min(oldestEnqueuedMs, value.getEnqueuedAt().toEpochMilli());
    while (buffered >= batchSize) {
      flushOne();
    }
  }

  /**
   * Wall-clock punctuation: flush everything once the oldest request is due. The punctuation
   * timestamp is the thread's cached time; the injected clock is read instead.
   */
  void tick(long punctuationTime) {
    long now = wallClock.getAsLong();
    if (buffered > 0 && now - oldestEnqueuedMs >= maxDelayMs) {
      while (buffered > 0) {
        flushOne();
      }
    }
  }

  /** Number of requests waiting (for tests and metrics). */
  int buffered() {
    return buffered;
  }

  /** Decodes the oldest {@code batch.size} (or fewer) requests and answers them. */
  private void flushOne() {
    List<KeyValue<Long, BufferedRequest>> batch = new ArrayList<>(batchSize);
    try (KeyValueIterator<Long, BufferedRequest> it = store.all()) {
      while (it.hasNext() && batch.size() < batchSize) {
        batch.add(it.next());
      }
    }
    long start = wallClock.getAsLong();
    List<Task> taskList = batch.stream().map(kv -> tasks.toTask(kv.value.getRequest())).toList();
    List<Verdict> verdicts = new ArrayList<>(batch.size());
    List<String> failures = new ArrayList<>(batch.size());
    long t0 = System.nanoTime();
    decide(taskList, verdicts, failures);
    long decodeMs = (System.nanoTime() - t0) / 1_000_000;
    metrics.batch(batch.size(), decodeMs);
    long now = wallClock.getAsLong();
    for (int i = 0; i < batch.size(); i++) {
      BufferedRequest b = batch.get(i).value;
      long waited = start - b.getEnqueuedAt().toEpochMilli();
      OutcomeRecords.Outcome o;
      Verdict v = verdicts.get(i);
      if (v == null) {
        o = outcomes.rejected(b.getRequest(), b.getSource(), "decode", failures.get(i), now);
        metrics.action("REJECTED");
      } else {
        Timings timings = new Timings(waited, batch.size(), decodeMs);
        o =
            outcomes.decided(
                b.getRequest(), b.getSource(), taskList.get(i), v, timings, engine, now);
        metrics.action(v.action().name());
        metrics.tokens(v.newTokens());
      }
      metrics.queueWait(waited);
      ArmguardTopology.forward(context, o, now);
      store.delete(batch.get(i).key);
    }
    buffered -= batch.size();
    oldestEnqueuedMs = oldestInStore();
  }

  /**
   * Decodes the batch in one call; if that throws, decodes each task alone so that one request the
   * engine cannot serve (e.g. a strategy without a loaded reward model) does not fail its batch
   * mates. A task that fails alone gets a null verdict and its failure text.
   */
  private void decide(List<Task> taskList, List<Verdict> verdicts, List<String> failures) {
    try {
      verdicts.addAll(moderator.decide(taskList));
      taskList.forEach(t -> failures.add(null));
      return;
    } catch (RuntimeException e) {
      LOG.warn(
          "task {}: decoding a batch of {} failed ({}); decoding its requests one by one",
          context.taskId(),
          taskList.size(),
          e.toString());
    }
    for (Task t : taskList) {
      try {
        verdicts.add(moderator.decide(List.of(t)).get(0));
        failures.add(null);
      } catch (RuntimeException e) {
        LOG.error("task {}: request {} cannot be decoded", context.taskId(), t.id(), e);
        verdicts.add(null);
        failures.add("decode failed: " + e);
      }
    }
  }

  private long oldestInStore() {
    try (KeyValueIterator<Long, BufferedRequest> it = store.all()) {
      return it.hasNext() ? it.next().value.getEnqueuedAt().toEpochMilli() : Long.MAX_VALUE;
    }
  }
}
