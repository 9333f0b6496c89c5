package io.armguard.streams;

import io.armguard.schema.BufferedRequest;
import java.time.Duration;
import java.util.Map;
import java.util.NavigableMap;
import java.util.function.LongSupplier;
import java.util.function.Supplier;
import org.apache.kafka.streams.processor.PunctuationType;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The micro-batch node under {@code decode.scheduler=instance}: buffers validated requests in the
 * changelogged store exactly as {@link MicroBatchProcessor} does (key: arrival sequence), but forms
 * no batches itself. It offers each buffered request to the instance's {@link DecodeScheduler},
 * which batches across all tasks, and answers what the scheduler hands back, on the stream thread,
 * in this task's transaction: one completion and one audit record per request, then the request
 * leaves the store. A request stays in the store until its answer is committed, so a crash or a
 * revocation at any point leaves it to the next owner, which decodes it again.
 *
 * <p>When the scheduler refuses a request (this task has {@code batch.size x batch.max.in.flight}
 * pending there) it stays in the buffer and is offered again on the next record or punctuation; the
 * stream thread never waits for the scheduler.
 */
public final class ScheduledBatchProcessor
    implements Processor<String, BufferedRequest, String, Object> {

  private static final Logger LOG = LoggerFactory.getLogger(ScheduledBatchProcessor.class);

  private final String storeName;
  private final Supplier<DecodeScheduler> schedulers;
  private final TaskFactory tasks;
  private final AnswerForwarder forwarder;
  private final LongSupplier wallClock;

  private ProcessorContext<String, Object> context;
  private KeyValueStore<Long, BufferedRequest> store;
  private DecodeScheduler scheduler;
  private DecodeScheduler.Client client;
  private RequestBuffer buffer;

  /** Buffered requests not yet taken by the scheduler, in arrival order (a part of the store). */
  private NavigableMap<Long, BufferedRequest> waiting =
      new java.util.TreeMap<>(); // the buffer's, from init on

  /**
   * @param schedulers the instance's scheduler (the same one for every task; called in init)
   * @param wallClock epoch ms, the scheduler's clock too
   */
  public ScheduledBatchProcessor(
      String storeName,
      Supplier<DecodeScheduler> schedulers,
      TaskFactory tasks,
      OutcomeRecords outcomes,
      PipelineMetrics metrics,
      LongSupplier wallClock) {
    this.storeName = storeName;
    this.schedulers = schedulers;
    this.tasks = tasks;
    this.forwarder = new AnswerForwarder(outcomes, metrics);
    this.wallClock = wallClock;
  }

  @Override
  public void init(ProcessorContext<String, Object> context) {
    this.context = context;
    this.store = context.getStateStore(storeName);
    this.scheduler = schedulers.get();
    // A revived task re-initialises this instance: answers of the earlier incarnation's client
    // must not be emitted (their requests are in the restored store and are offered again).
    if (client != null) {
      client.close();
    }
    this.client = scheduler.register(context.taskId().toString());
    this.buffer = new RequestBuffer(store);
    this.waiting = buffer.waiting();
    buffer.recover(context.taskId());
    context.schedule(
        Duration.ofMillis(MicroBatchProcessor.RESULT_POLL_MS),
        PunctuationType.WALL_CLOCK_TIME,
        t -> tick());
    offerWaiting();
  }

  @Override
  public void process(Record<String, BufferedRequest> record) {
    answerDecoded();
    BufferedRequest value = record.value();
    // Why not context.currentSystemTimeMs(): the thread caches it once per loop (see
    // MicroBatchProcessor); the scheduler measures the batch delay from this stamp.
    buffer.add(value, wallClock.getAsLong());
    offerWaiting();
  }

  /** Wall-clock punctuation: answer what the scheduler finished, offer what it has room for. */
  void tick() {
    answerDecoded();
    offerWaiting();
  }

  /** Requests the scheduler refused so far and still in this task's buffer (for tests). */
  int heldBack() {
    return waiting.size();
  }

  private void offerWaiting() {
    while (!waiting.isEmpty() && client.hasRoom()) {
      Map.Entry<Long, BufferedRequest> e = waiting.firstEntry();
      if (!client.offer(e.getKey(), e.getValue(), tasks.toTask(e.getValue().getRequest()))) {
        return;
      }
      waiting.pollFirstEntry();
    }
  }

  private void answerDecoded() {
    boolean answered = false;
    ScheduledAnswer a;
    long now = wallClock.getAsLong();
    while ((a = client.poll()) != null) {
      forwarder.forward(context, a, scheduler.engine(), now);
      store.delete(a.key());
      answered = true;
    }
    if (answered && waiting.isEmpty() && client.pending() == 0) {
      // Nothing else in hand: commit now so read_committed consumers see the answers at once
      // rather than up to commit.interval.ms later (as MicroBatchProcessor does).
      context.commit();
    }
  }

  /**
   * The task is closing (rebalance or shutdown): queued requests leave the scheduler and answers
   * not yet emitted are dropped; all of them are still in the store for the next owner.
   */
  @Override
  public void close() {
    if (client != null) {
      client.close();
    }
  }
}
