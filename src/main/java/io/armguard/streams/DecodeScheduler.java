package io.armguard.streams;

import io.armguard.config.ArmguardConfig;
import io.armguard.decode.ContinuousDecoding;
import io.armguard.decode.GuidedEngine;
import io.armguard.moderate.Task;
import io.armguard.moderate.Verdict;
import io.armguard.schema.BufferedRequest;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Function;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The instance's decode scheduler: one engine per decode device, each with its one decode worker,
 * shared by every task of every stream thread. Tasks hand it requests that are already durable in
 * their changelogged buffers ({@link Client#offer}); the worker forms batches across tasks with DJL
 * Serving's {@code batch_size} / {@code max_batch_delay} semantics, instance-wide (a batch leaves
 * when {@code batch.size} requests are queued, or when the oldest of them has waited {@code
 * batch.max.delay.ms} since its task buffered it), decodes them, and hands each answer back to the
 * task that offered it ({@link Client#poll}), whose stream thread emits it in that task's own
 * transaction.
 *
 * <p><b>Devices.</b> With more than one engine ({@code decode.devices}: one per GPU, each holding
 * its own copy of the weights), every engine has its own worker (or continuous loop and request
 * threads) and all of them take from the one queue: a request goes to whichever device is free
 * first, so no device idles while another has a backlog, and per-task back-pressure stays one limit
 * for the instance.
 *
 * <p><b>Back-pressure.</b> A client holds at most {@code maxPendingPerTask} requests offered and
 * not yet polled back; {@link Client#offer} refuses more, and the task keeps them in its buffer.
 * Nothing here ever blocks a stream thread.
 *
 * <p><b>Lifecycle.</b> {@link #start} starts the worker; {@link Client#close} (a task closed or
 * revoked, or re-initialised) drops the client's queued requests and any answer not yet polled:
 * they are still in the task's store and are decoded again by its next owner. {@link #close} stops
 * the worker after the batch it is decoding and closes the engine (as {@link DecodeLane#close}).
 *
 * <p><b>Threading.</b> {@link #register} and every {@link Client} method are thread-safe; the
 * engine is only used on the worker (its thread-safe metadata methods excepted).
 */
public final class DecodeScheduler implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(DecodeScheduler.class);

  /**
   * How long (ms) the worker waits at most before it looks at the clock again while requests are
   * queued: it is woken by every offer, but a due batch depends on the (injectable) wall clock.
   */
  static final long CLOCK_CHECK_MS = 10;

  /** Told on the worker after each batch, once every answer of it is with its client. */
  @FunctionalInterface
  interface BatchListener {
    BatchListener NONE = batchSize -> {};

    void delivered(int batchSize);
  }

  /** What decodes one batch (the service's {@link BatchDecider} over the scheduler's engine). */
  @FunctionalInterface
  public interface BatchDecoding {
    BatchDecider.Decisions decide(List<Task> tasks);
  }

  /**
   * The scheduler's batching settings.
   *
   * @param batchSize most requests in one batch; a batch leaves once this many are queued
   * @param maxDelayMs a batch leaves once its oldest request has waited this long (wall clock)
   * @param maxPendingPerTask most requests one client may have offered and not yet polled back
   * @param maxRows continuous mode: most requests decided at once (rows in the running batch)
   */
  public record Settings(int batchSize, long maxDelayMs, int maxPendingPerTask, int maxRows) {
    public Settings {
      if (batchSize < 1 || maxDelayMs < 0 || maxPendingPerTask < 1 || maxRows < 1) {
        throw new IllegalArgumentException("invalid scheduler settings: " + this);
      }
    }

    /** Size/delay batching settings (continuous mode's row limit: {@code batchSize}). */
    public static Settings batching(int batchSize, long maxDelayMs, int maxPendingPerTask) {
      return new Settings(batchSize, maxDelayMs, maxPendingPerTask, batchSize);
    }

    /**
     * batch.size, batch.max.delay.ms, batch.max.rows, and per task batch.size x batch.max.in.flight
     * requests, or under {@code decode.scheduler=continuous} batch.max.rows x batch.max.in.flight:
     * enough for a task alone to fill the running batch and keep as many waiting, so rows that
     * finish are replaced at the next token boundary instead of after its stream thread's next
     * round trip.
     */
    public static Settings of(ArmguardConfig config) {
      int share = config.continuousScheduler() ? config.batchMaxRows() : config.batchSize();
      return new Settings(
          config.batchSize(),
          config.batchMaxDelayMs(),
          share * Math.max(1, config.batchMaxInFlight()),
          config.batchMaxRows());
    }
  }

  /** One request as a task offered it. */
  private record Queued(Client owner, long key, BufferedRequest buffered, Task task) {
    long enqueuedAtMs() {
      return buffered.getEnqueuedAt().toEpochMilli();
    }
  }

  private final Settings settings;
  private final List<DecodeLane> lanes; // one per device, in decode.devices order
  private final PipelineMetrics metrics;
  private final LongSupplier wallClock;
  private final BatchListener afterDelivery;
  private final ReentrantLock lock = new ReentrantLock();
  private final Condition changed = lock.newCondition();
  private final ArrayDeque<Queued> queue = new ArrayDeque<>();
  private final AtomicInteger batches = new AtomicInteger();
  private final List<ContinuousLoop> loops; // one per device; empty when batching by size and delay
  private final List<ExecutorService> requestThreads = new ArrayList<>(); // continuous, per device
  private boolean closed;

  private DecodeScheduler(
      Settings settings,
      List<DecodeLane> lanes,
      PipelineMetrics metrics,
      LongSupplier wallClock,
      BatchListener afterDelivery,
      List<ContinuousLoop> loops) {
    this.settings = settings;
    this.lanes = List.copyOf(lanes);
    this.metrics = metrics;
    this.wallClock = wallClock;
    this.afterDelivery = afterDelivery;
    this.loops = List.copyOf(loops);
  }

  /**
   * A running scheduler over {@code engine} (closed by {@link #close}).
   *
   * @param decoding decodes a batch on {@code engine}; called on the worker only
   * @param metrics records one batch size and decode time per batch, and publishes the queue depth
   * @param wallClock epoch ms, the clock requests' {@code enqueued_at} was stamped with
   */
  public static DecodeScheduler start(
      GuidedEngine engine,
      Settings settings,
      BatchDecoding decoding,
      PipelineMetrics metrics,
      LongSupplier wallClock) {
    return start(List.of(engine), settings, on -> decoding, metrics, wallClock, BatchListener.NONE);
  }

  /**
   * A running scheduler with one worker per engine (one engine per device), all forming batches
   * from the one queue.
   *
   * @param decoding makes the batch decoding of one engine; each is called on its worker only
   */
  public static DecodeScheduler start(
      List<GuidedEngine> engines,
      Settings settings,
      Function<GuidedEngine, BatchDecoding> decoding,
      PipelineMetrics metrics,
      LongSupplier wallClock) {
    return start(engines, settings, decoding, metrics, wallClock, BatchListener.NONE);
  }

  /** As above, telling {@code afterDelivery} of every batch handed out (tests wait on it). */
  static DecodeScheduler start(
      List<GuidedEngine> engines,
      Settings settings,
      Function<GuidedEngine, BatchDecoding> decoding,
      PipelineMetrics metrics,
      LongSupplier wallClock,
      BatchListener afterDelivery) {
    List<DecodeLane> lanes = new ArrayList<>();
    for (int i = 0; i < engines.size(); i++) {
      lanes.add(new DecodeLane(engines.get(i), "armguard-decode-scheduler" + deviceSuffix(i)));
    }
    DecodeScheduler s =
        new DecodeScheduler(settings, lanes, metrics, wallClock, afterDelivery, List.of());
    for (DecodeLane lane : lanes) {
      BatchDecoding mine = decoding.apply(lane.engine());
      lane.execute(() -> s.runWorker(mine));
    }
    metrics.schedulerQueue(s);
    LOG.info(
        "decode scheduler started: batch.size={} batch.max.delay.ms={} per-task pending={}"
            + " engines={}",
        settings.batchSize(),
        settings.maxDelayMs(),
        settings.maxPendingPerTask(),
        engines.size());
    return s;
  }

  /** "" for the first device (the names of a one-device instance stay as they were), else "-N". */
  private static String deviceSuffix(int device) {
    return device == 0 ? "" : "-" + device;
  }

  /**
   * A running scheduler with <b>iteration-level batching</b> over {@code engine}: its one decode
   * thread runs a {@link ContinuousLoop} (scoring passes over every waiting call, then one token
   * step of the running batch that generation rows join at token boundaries and leave when done),
   * and {@code settings.maxRows()} request threads each take the next queued request and decide it
   * alone over the loop's engine, so every pass is shared by all requests being decided. There is
   * no batching delay: a request starts as soon as a request thread is free.
   *
   * @param deciding makes one request thread's decider over the loop's (thread-safe) engine
   */
  public static DecodeScheduler startContinuous(
      GuidedEngine engine,
      Settings settings,
      Function<GuidedEngine, BatchDecoding> deciding,
      PipelineMetrics metrics,
      LongSupplier wallClock) {
    return startContinuous(
        List.of(engine), settings, deciding, metrics, wallClock, BatchListener.NONE);
  }

  /**
   * As above with one loop per engine (one engine per device), each with {@code settings.maxRows()}
   * request threads of its own, all taking from the one queue.
   */
  public static DecodeScheduler startContinuous(
      List<GuidedEngine> engines,
      Settings settings,
      Function<GuidedEngine, BatchDecoding> deciding,
      PipelineMetrics metrics,
      LongSupplier wallClock) {
    return startContinuous(engines, settings, deciding, metrics, wallClock, BatchListener.NONE);
  }

  /** As above, telling {@code afterDelivery} of every request handed out (tests wait on it). */
  static DecodeScheduler startContinuous(
      List<GuidedEngine> engines,
      Settings settings,
      Function<GuidedEngine, BatchDecoding> deciding,
      PipelineMetrics metrics,
      LongSupplier wallClock,
      BatchListener afterDelivery) {
    List<DecodeLane> lanes = new ArrayList<>();
    List<ContinuousLoop> loops = new ArrayList<>();
    for (int i = 0; i < engines.size(); i++) {
      GuidedEngine engine = engines.get(i);
      loops.add(new ContinuousLoop(engine, settings.maxRows(), metrics::batch));
      lanes.add(new DecodeLane(engine, "armguard-decode-loop" + deviceSuffix(i)));
    }
    DecodeScheduler s =
        new DecodeScheduler(settings, lanes, metrics, wallClock, afterDelivery, loops);
    AtomicInteger threadIds = new AtomicInteger();
    for (int i = 0; i < loops.size(); i++) {
      ContinuousLoop loop = loops.get(i);
      lanes.get(i).execute(loop);
      ExecutorService threads =
          Executors.newFixedThreadPool(
              settings.maxRows(),
              r -> {
                Thread t = new Thread(r, "armguard-decide-" + threadIds.incrementAndGet());
                t.setDaemon(true);
                return t;
              });
      s.requestThreads.add(threads);
      for (int j = 0; j < settings.maxRows(); j++) {
        BatchDecoding mine = deciding.apply(loop.engine());
        threads.execute(() -> s.runRequestThread(mine, loop));
      }
    }
    metrics.schedulerQueue(s);
    LOG.info(
        "decode scheduler started (continuous): batch.max.rows={} per-task pending={} engines={}",
        settings.maxRows(),
        settings.maxPendingPerTask(),
        engines.size());
    return s;
  }

  /** The first device's engine (for its thread-safe metadata: model ids, token counts). */
  public GuidedEngine engine() {
    return lanes.get(0).engine();
  }

  /** Engines (devices) decoding for this scheduler. */
  public int engines() {
    return lanes.size();
  }

  /**
   * Continuous mode: each device's loop counters, in device order (empty when batching by size and
   * delay); for tests and logs.
   */
  List<ContinuousDecoding.Stats> loopStats() {
    return loops.stream().map(ContinuousLoop::stats).toList();
  }

  public Settings settings() {
    return settings;
  }

  /** Batches decoded so far (for tests and logs). */
  public int batchesDecoded() {
    return batches.get();
  }

  /** Requests queued and not yet in a batch (for tests and logs). */
  public int queued() {
    lock.lock();
    try {
      return queue.size();
    } finally {
      lock.unlock();
    }
  }

  /**
   * A new client for one task incarnation.
   *
   * @param name names the task in log lines (e.g. its task id)
   */
  public Client register(String name) {
    return new Client(name);
  }

  /**
   * One task incarnation's handle on the scheduler: it offers requests and polls answers. Used by
   * its task's stream thread; answers arrive from the worker.
   */
  public final class Client implements AutoCloseable {
    private final String name;
    private final Queue<ScheduledAnswer> answers = new ConcurrentLinkedQueue<>();
    private final AtomicInteger pending = new AtomicInteger();
    private volatile boolean clientClosed;

    private Client(String name) {
      this.name = name;
    }

    /**
     * Queues one durable request for decoding, unless this client already has {@code
     * maxPendingPerTask} requests pending or is closed.
     *
     * @param key the request's key in the task's buffer store, handed back with its answer
     * @return whether the request was taken; if not, the task keeps it and offers it again later
     */
    public boolean offer(long key, BufferedRequest buffered, Task task) {
      if (clientClosed || pending.get() >= settings.maxPendingPerTask()) {
        return false;
      }
      lock.lock();
      try {
        if (closed || clientClosed) {
          return false;
        }
        pending.incrementAndGet();
        queue.addLast(new Queued(this, key, buffered, task));
        changed.signal();
        return true;
      } finally {
        lock.unlock();
      }
    }

    /** The next decoded answer, or null; each answer is handed out once. */
    public ScheduledAnswer poll() {
      if (clientClosed) {
        return null;
      }
      ScheduledAnswer a = answers.poll();
      if (a != null) {
        pending.decrementAndGet();
      }
      return a;
    }

    /** Requests offered and not yet polled back (queued, decoding or answered). */
    public int pending() {
      return pending.get();
    }

    /** Whether another offer would be taken now. */
    public boolean hasRoom() {
      return !clientClosed && pending.get() < settings.maxPendingPerTask();
    }

    /**
     * Drops this client's queued requests and its unpolled answers; a batch already decoding
     * finishes and its answers for this client are discarded. Idempotent.
     */
    @Override
    public void close() {
      lock.lock();
      try {
        clientClosed = true;
        int dropped = 0;
        for (Iterator<Queued> it = queue.iterator(); it.hasNext(); ) {
          if (it.next().owner() == this) {
            it.remove();
            dropped++;
          }
        }
        answers.clear();
        if (dropped > 0) {
          LOG.info("task {}: {} queued requests dropped from the decode scheduler", name, dropped);
        }
      } finally {
        lock.unlock();
      }
    }

    private void deliver(ScheduledAnswer a) {
      if (!clientClosed) {
        answers.add(a);
      }
    }
  }

  /** One device's worker: form a batch, decode it, hand out its answers, until closed. */
  private void runWorker(BatchDecoding decoding) {
    while (true) {
      List<Queued> batch;
      try {
        batch = nextBatch();
      } catch (InterruptedException e) {
        return; // close(): queued requests stay in their tasks' stores
      }
      if (batch == null) {
        return;
      }
      decodeAndDeliver(decoding, batch);
    }
  }

  /** Waits until a batch is due and takes it; null once closed. */
  private List<Queued> nextBatch() throws InterruptedException {
    lock.lock();
    try {
      while (!closed) {
        if (queue.isEmpty()) {
          changed.await();
          continue;
        }
        long oldest = Long.MAX_VALUE;
        for (Queued q : queue) { // the queue is offer order; a held-back request may be older
          oldest = Math.min(oldest, q.enqueuedAtMs());
        }
        long waited = wallClock.getAsLong() - oldest;
        if (queue.size() >= settings.batchSize() || waited >= settings.maxDelayMs()) {
          List<Queued> batch = new ArrayList<>(settings.batchSize());
          while (!queue.isEmpty() && batch.size() < settings.batchSize()) {
            batch.add(queue.pollFirst());
          }
          return batch;
        }
        changed.await(
            Math.max(1, Math.min(settings.maxDelayMs() - waited, CLOCK_CHECK_MS)),
            TimeUnit.MILLISECONDS);
      }
      return null;
    } finally {
      lock.unlock();
    }
  }

  private void decodeAndDeliver(BatchDecoding decoding, List<Queued> batch) {
    long start = wallClock.getAsLong();
    long t0 = System.nanoTime();
    BatchDecider.Decisions d = decideSafely(decoding, batch);
    long decodeMs = (System.nanoTime() - t0) / 1_000_000;
    batches.incrementAndGet();
    metrics.batch(batch.size(), decodeMs);
    deliver(batch, d, new ScheduledAnswer.BatchFacts(batch.size(), start, decodeMs));
  }

  /**
   * A request thread of the continuous mode: takes the next queued request, decides it alone over
   * its device's loop engine, hands its answer back; until closed.
   */
  private void runRequestThread(BatchDecoding mine, ContinuousLoop loop) {
    while (true) {
      Queued q;
      lock.lock();
      try {
        while (!closed && queue.isEmpty()) {
          changed.await();
        }
        if (closed) {
          return;
        }
        q = queue.pollFirst();
      } catch (InterruptedException e) {
        return; // close(): queued requests stay in their tasks' stores
      } finally {
        lock.unlock();
      }
      if (q.owner().clientClosed) {
        continue; // its task was closed or revoked after the offer: its next owner decides it
      }
      var before = loop.stats();
      long start = wallClock.getAsLong();
      long t0 = System.nanoTime();
      BatchDecider.Decisions d = decideSafely(mine, List.of(q));
      long decodeMs = (System.nanoTime() - t0) / 1_000_000;
      var after = loop.stats();
      long steps = after.steps() - before.steps();
      // the request's "batch": the mean rows per token step while it was being decided
      int size =
          steps == 0
              ? 1
              : (int)
                  Math.max(1, Math.round((after.rowSteps() - before.rowSteps()) / (double) steps));
      batches.incrementAndGet();
      deliver(List.of(q), d, new ScheduledAnswer.BatchFacts(size, start, decodeMs));
    }
  }

  /** Decides a batch; an Error fails its requests instead of leaving tasks waiting forever. */
  private static BatchDecider.Decisions decideSafely(BatchDecoding decoding, List<Queued> batch) {
    try {
      return decoding.decide(batch.stream().map(Queued::task).toList());
    } catch (Throwable t) {
      LOG.error("decode scheduler failed on a batch of {}", batch.size(), t);
      List<Verdict> none = new ArrayList<>();
      List<String> why = new ArrayList<>();
      batch.forEach(
          q -> {
            none.add(null);
            why.add("decode failed: " + t);
          });
      return new BatchDecider.Decisions(none, why);
    }
  }

  private void deliver(
      List<Queued> batch, BatchDecider.Decisions d, ScheduledAnswer.BatchFacts facts) {
    for (int i = 0; i < batch.size(); i++) {
      Queued q = batch.get(i);
      q.owner()
          .deliver(
              new ScheduledAnswer(
                  q.key(),
                  q.buffered(),
                  q.task(),
                  d.verdicts().get(i),
                  d.failures().get(i),
                  facts));
    }
    afterDelivery.delivered(batch.size());
  }

  /**
   * Stops the worker after the batch it is decoding and closes the engine; queued requests are
   * dropped (they are in their tasks' stores). Call after Kafka Streams has stopped.
   */
  @Override
  public void close() {
    lock.lock();
    try {
      closed = true;
      queue.clear();
      changed.signalAll();
    } finally {
      lock.unlock();
    }
    for (ContinuousLoop loop : loops) {
      loop.close(); // waiting request threads' calls fail; their answers go to closed clients
    }
    requestThreads.forEach(ExecutorService::shutdownNow);
    lanes.forEach(DecodeLane::close);
  }
}
