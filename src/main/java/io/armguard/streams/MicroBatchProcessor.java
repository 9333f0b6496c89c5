package io.armguard.streams;

import io.armguard.moderate.BatchModerator;
import io.armguard.moderate.ModerationPolicy;
import io.armguard.moderate.Task;
import io.armguard.moderate.Verdict;
import io.armguard.schema.BufferedRequest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.function.LongSupplier;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.processor.PunctuationType;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Buffers validated requests in a changelogged key-value store (key: arrival sequence, so the
 * store's order is arrival order) and decodes them a batch at a time, DJL Serving's {@code
 * batch_size} / {@code max_batch_delay} semantics: a batch leaves when {@code batch.size} requests
 * wait, or when a wall-clock punctuator finds that the oldest has waited {@code
 * batch.max.delay.ms}.
 *
 * <p>Batches decode on the stream thread's {@link DecodeLane} worker (up to {@code
 * batch.max.in.flight} per task; further batches wait in the buffer, the stream thread never waits
 * for the worker), so the stream thread keeps polling, producing and committing while the model
 * works; with 0 they decode on the stream thread itself. Results come back to the stream thread (on
 * the next record or punctuation), which forwards one completion and one audit record per request
 * and deletes the request from the store. Under exactly-once the outputs and the delete land in the
 * same transaction; a request whose batch is still decoding when a commit happens is safe in the
 * committed store, so a crash at any point re-decodes it from the restored store and nothing is
 * lost or emitted twice.
 *
 * <p>When a batch's decode throws, its requests are decoded one by one, and a request that still
 * fails is answered REJECTED naming the error: no request is left without an answer and the stream
 * thread lives on.
 */
public final class MicroBatchProcessor
    implements Processor<String, BufferedRequest, String, Object> {

  private static final Logger LOG = LoggerFactory.getLogger(MicroBatchProcessor.class);

  /** How often (ms) an asynchronous processor looks for finished batches, at most. */
  static final long RESULT_POLL_MS = 10;

  private final String storeName;
  private final int batchSize;
  private final long maxDelayMs;
  private final int maxInFlight;
  private final EnginePool engines;
  private final ModerationPolicy policy;
  private final TaskFactory tasks;
  private final AnswerForwarder forwarder;
  private final PipelineMetrics metrics;
  private final LongSupplier wallClock;

  private ProcessorContext<String, Object> context;
  private KeyValueStore<Long, BufferedRequest> store;
  private DecodeLane lane;
  private BatchDecider decider;
  private RequestBuffer buffer;

  /** Buffered requests not yet handed to the engine, in arrival order (mirror of the store). */
  private NavigableMap<Long, BufferedRequest> waiting =
      new java.util.TreeMap<>(); // the buffer's, from init on

  /** Decoded batches waiting to be answered on the stream thread. */
  private final BlockingQueue<DecodedBatch> decoded = new LinkedBlockingQueue<>();

  private int inFlight;
  private int inFlightRequests;
  private volatile boolean closed;

  /**
   * Kafka Streams re-initialises the same processor instance when it revives a task after an error;
   * every init starts a new incarnation, and results of batches submitted by an earlier one are
   * dropped (their requests are still in the restored store and are decoded again).
   */
  private volatile int incarnation;

  /**
   * @param maxInFlight batches this task may have on the decode worker; 0 = decode on the stream
   *     thread
   */
  public MicroBatchProcessor(
      String storeName,
      int batchSize,
      long maxDelayMs,
      int maxInFlight,
      EnginePool engines,
      ModerationPolicy policy,
      TaskFactory tasks,
      OutcomeRecords outcomes,
      PipelineMetrics metrics,
      LongSupplier wallClock) {
    this.storeName = storeName;
    this.batchSize = batchSize;
    this.maxDelayMs = maxDelayMs;
    this.maxInFlight = maxInFlight;
    this.engines = engines;
    this.policy = policy;
    this.tasks = tasks;
    this.forwarder = new AnswerForwarder(outcomes, metrics);
    this.metrics = metrics;
    this.wallClock = wallClock;
  }

  @Override
  public void init(ProcessorContext<String, Object> context) {
    this.context = context;
    // Per-incarnation state: all of it starts afresh (see #incarnation).
    incarnation++;
    closed = false;
    inFlight = 0;
    inFlightRequests = 0;
    decoded.clear();
    this.store = context.getStateStore(storeName);
    this.lane = engines.laneForCurrentThread();
    this.decider = new BatchDecider(new BatchModerator(lane.engine(), policy));
    this.buffer = new RequestBuffer(store);
    this.waiting = buffer.waiting();
    buffer.recover(context.taskId());
    context.schedule(
        punctuationInterval(maxDelayMs, maxInFlight > 0),
        PunctuationType.WALL_CLOCK_TIME,
        this::tick);
  }

  /**
   * Checks a few times per delay so a batch leaves at most ~25% later than its deadline; an
   * asynchronous processor also checks every {@link #RESULT_POLL_MS} for finished batches.
   */
  static Duration punctuationInterval(long maxDelayMs, boolean async) {
    long quarter = Math.max(1, maxDelayMs / 4);
    return Duration.ofMillis(async ? Math.min(quarter, RESULT_POLL_MS) : quarter);
  }

  @Override
  public void process(Record<String, BufferedRequest> record) {
    answerDecoded();
    BufferedRequest value = record.value();
    // Why not context.currentSystemTimeMs(): the stream thread caches that once per loop, and after
    // a long flush it lies in the past, making fresh requests look overdue (half-empty batches).
    buffer.add(value, wallClock.getAsLong());
    drain();
  }

  /**
   * Wall-clock punctuation: answer finished batches, and send everything waiting once the oldest
   * request is due. The punctuation timestamp is the thread's cached time; the injected clock is
   * read instead.
   */
  void tick(long punctuationTime) {
    answerDecoded();
    drain();
  }

  /**
   * Hands batches to the engine while a slot is free: full batches, and everything waiting once the
   * oldest request is due. With every slot taken the requests simply stay in the durable buffer
   * (store and {@link #waiting}) until a result frees one: the stream thread never waits for the
   * worker, so a transaction is never held open behind other tasks' batches.
   */
  private void drain() {
    if (waiting.isEmpty()) {
      return;
    }
    long now = wallClock.getAsLong();
    boolean due =
        now - waiting.firstEntry().getValue().getEnqueuedAt().toEpochMilli() >= maxDelayMs;
    while (!waiting.isEmpty() && hasFreeSlot() && (due || waiting.size() >= batchSize)) {
      submitOne();
    }
  }

  private boolean hasFreeSlot() {
    return maxInFlight == 0 || inFlight < maxInFlight;
  }

  /** Number of requests buffered and not yet answered (for tests and metrics). */
  int buffered() {
    return waiting.size() + inFlightRequests;
  }

  /** Number of batches handed to the engine and not yet answered (for tests). */
  int inFlight() {
    return inFlight;
  }

  /**
   * Hands the oldest {@code batch.size} (or fewer) waiting requests to the engine: on the worker
   * when asynchronous (the caller has checked for a free slot), else right here.
   */
  private void submitOne() {
    List<KeyValue<Long, BufferedRequest>> batch = new ArrayList<>(batchSize);
    while (!waiting.isEmpty() && batch.size() < batchSize) {
      Map.Entry<Long, BufferedRequest> e = waiting.pollFirstEntry();
      batch.add(KeyValue.pair(e.getKey(), e.getValue()));
    }
    List<Task> taskList = batch.stream().map(kv -> tasks.toTask(kv.value.getRequest())).toList();
    inFlight++;
    inFlightRequests += batch.size();
    int mine = incarnation;
    if (maxInFlight == 0) {
      decoded.add(decode(batch, taskList, mine));
      answerDecoded();
      return;
    }
    lane.execute(
        () -> {
          if (closed || mine != incarnation) {
            return;
          }
          try {
            DecodedBatch d = decode(batch, taskList, mine);
            if (!closed) {
              decoded.add(d);
            }
          } catch (Throwable t) { // an Error must not leave the stream thread waiting forever
            LOG.error("task {}: decode worker failed on a batch", context.taskId(), t);
            decoded.add(failed(batch, taskList, "decode failed: " + t, mine));
          }
        });
  }

  /** Answers every batch the engine has finished, in the order they were submitted. */
  private void answerDecoded() {
    if (closed) {
      return;
    }
    DecodedBatch b;
    while ((b = decoded.poll()) != null) {
      if (b.incarnation() == incarnation) {
        answer(b);
      }
    }
  }

  /** One decoded batch: its requests, tasks, verdicts (null where the request failed), timings. */
  private record DecodedBatch(
      List<KeyValue<Long, BufferedRequest>> batch,
      List<Task> tasks,
      List<Verdict> verdicts,
      List<String> failures,
      long startMs,
      long decodeMs,
      int incarnation) {}

  /** Runs on the worker (or the stream thread when synchronous): the model's part only. */
  private DecodedBatch decode(
      List<KeyValue<Long, BufferedRequest>> batch, List<Task> taskList, int incarnation) {
    long start = wallClock.getAsLong();
    List<Verdict> verdicts = new ArrayList<>(batch.size());
    List<String> failures = new ArrayList<>(batch.size());
    long t0 = System.nanoTime();
    decide(taskList, verdicts, failures);
    return new DecodedBatch(
        batch,
        taskList,
        verdicts,
        failures,
        start,
        (System.nanoTime() - t0) / 1_000_000,
        incarnation);
  }

  private DecodedBatch failed(
      List<KeyValue<Long, BufferedRequest>> batch,
      List<Task> taskList,
      String why,
      int incarnation) {
    List<Verdict> none = new ArrayList<>();
    List<String> failures = new ArrayList<>();
    batch.forEach(
        kv -> {
          none.add(null);
          failures.add(why);
        });
    return new DecodedBatch(batch, taskList, none, failures, wallClock.getAsLong(), 0, incarnation);
  }

  /** On the stream thread: forwards a completion and an audit per request, empties the store. */
  private void answer(DecodedBatch d) {
    metrics.batch(d.batch().size(), d.decodeMs());
    long now = wallClock.getAsLong();
    ScheduledAnswer.BatchFacts facts =
        new ScheduledAnswer.BatchFacts(d.batch().size(), d.startMs(), d.decodeMs());
    for (int i = 0; i < d.batch().size(); i++) {
      KeyValue<Long, BufferedRequest> kv = d.batch().get(i);
      forwarder.forward(
          context,
          new ScheduledAnswer(
              kv.key, kv.value, d.tasks().get(i), d.verdicts().get(i), d.failures().get(i), facts),
          lane.engine(),
          now);
      store.delete(kv.key);
    }
    inFlight--;
    inFlightRequests -= d.batch().size();
    if (inFlight == 0 && waiting.isEmpty()) {
      // Nothing else in hand: ask for a commit now, so these answers become visible to
      // read_committed consumers at once instead of up to commit.interval.ms later. Under load
      // there is always work in hand and commits keep their interval.
      context.commit();
    }
  }

  /** Decides the batch as {@link BatchDecider} does (one by one if the batch call throws). */
  private void decide(List<Task> taskList, List<Verdict> verdicts, List<String> failures) {
    BatchDecider.Decisions d = decider.decide(taskList, context.taskId());
    verdicts.addAll(d.verdicts());
    failures.addAll(d.failures());
  }

  /**
   * The task is closing (rebalance or shutdown): batches still on the worker are not answered here;
   * their requests stay in the store for whoever owns the task next.
   */
  @Override
  public void close() {
    closed = true;
    decoded.clear();
  }
}
