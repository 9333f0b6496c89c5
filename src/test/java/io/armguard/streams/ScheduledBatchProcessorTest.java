package io.armguard.streams;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.armguard.config.ArmguardConfig;
import io.armguard.moderate.BatchModerator;
import io.armguard.moderate.ModerationPolicy;
import io.armguard.moderate.WordListEngine;
import io.armguard.schema.AuditRecord;
import io.armguard.schema.BufferedRequest;
import io.armguard.schema.Completion;
import io.armguard.schema.SourceInfo;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.File;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.processor.TaskId;
import org.apache.kafka.streams.processor.api.MockProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.Stores;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Several tasks' micro-batch processors over one instance scheduler (each task with its own context
 * and buffer store, as Kafka Streams gives them): batches span tasks, each task forwards exactly
 * its own answers and empties its own store, a task over its share holds requests in its store
 * without blocking, and a closed task leaves its requests to the next owner.
 */
class ScheduledBatchProcessorTest {

  private static final Duration WAIT = Duration.ofSeconds(20);

  private final WordListEngine engine = new WordListEngine();
  private final EnginePool pool = new EnginePool(() -> engine);
  private final Deliveries deliveries = new Deliveries();
  private ArmguardConfig config;

  @AfterEach
  void close() {
    pool.close();
  }

  private Supplier<DecodeScheduler> schedulerOf(String batchSize, String maxInFlight) {
    config =
        ArmguardConfig.from(
            Map.of(
                "batch.size",
                batchSize,
                "batch.max.delay.ms",
                "60000", // only full batches leave: no timing in the test
                "batch.max.in.flight",
                maxInFlight,
                "decode.scheduler",
                "instance", // size/delay batches: the shares below are batch.size x in-flight
                "instance.id",
                "test-1"),
            Map.of());
    PipelineMetrics metrics = new PipelineMetrics(new SimpleMeterRegistry());
    BatchDecider decider =
        new BatchDecider(
            new BatchModerator(
                engine,
                ModerationPolicy.builder()
                    .maxAttempts(1)
                    .rewriteMinNewTokens(2)
                    .fallbackText("[withheld]")
                    .build()));
    DecodeScheduler.Settings settings = DecodeScheduler.Settings.of(config);
    return () ->
        pool.scheduler(
            devices ->
                DecodeScheduler.start(
                    devices,
                    settings,
                    on -> b -> decider.decide(b, "test"),
                    metrics,
                    System::currentTimeMillis,
                    deliveries));
  }

  /** Counts the batches the scheduler has handed out; tests wait on it instead of polling. */
  private static final class Deliveries implements DecodeScheduler.BatchListener {
    private int batches;

    @Override
    public synchronized void delivered(int batchSize) {
      batches++;
      notifyAll();
    }

    synchronized int count() {
      return batches;
    }

    /** Returns once more than {@code seen} batches were handed out; fails after {@link #WAIT}. */
    synchronized void awaitMoreThan(int seen) {
      long deadline = System.nanoTime() + WAIT.toNanos();
      while (batches <= seen) {
        long left = deadline - System.nanoTime();
        assertTrue(left > 0, "no batch handed out within " + WAIT);
        try {
          TimeUnit.NANOSECONDS.timedWait(this, left);
        } catch (InterruptedException e) {
          throw new AssertionError(e);
        }
      }
    }
  }

  /** One task: its context, its store, its processor. */
  private final class TaskHarness {
    final int partition;
    final MockProcessorContext<String, Object> context;
    final KeyValueStore<Long, BufferedRequest> store;
    ScheduledBatchProcessor processor;
    long offset;

    TaskHarness(int partition, Supplier<DecodeScheduler> scheduler) {
      this(partition, scheduler, null);
    }

    /** A task over {@code previous}'s store (the next owner after a revocation). */
    TaskHarness(int partition, Supplier<DecodeScheduler> scheduler, TaskHarness previous) {
      this.partition = partition;
      Properties props = new Properties();
      props.put("application.id", "scheduled-test");
      props.put("bootstrap.servers", "unused:9092");
      props.put("processing.exception.handler.global.enabled", "true");
      context = new MockProcessorContext<>(props, new TaskId(0, partition), (File) null);
      if (previous == null) {
        store =
            Stores.keyValueStoreBuilder(
                    Stores.inMemoryKeyValueStore(ArmguardTopology.BUFFER_STORE),
                    Serdes.Long(),
                    TestSerdes.create("scheduled-test").buffered())
                .withLoggingDisabled()
                .build();
        store.init(context.getStateStoreContext(), store);
      } else {
        store = previous.store;
        offset = previous.offset;
      }
      context.addStateStore(store);
      processor =
          new ScheduledBatchProcessor(
              ArmguardTopology.BUFFER_STORE,
              scheduler,
              new TaskFactory(config),
              new OutcomeRecords("test-1", 0.5f),
              new PipelineMetrics(new SimpleMeterRegistry()),
              System::currentTimeMillis);
      processor.init(context);
    }

    void offer(String id) {
      BufferedRequest b =
          BufferedRequest.newBuilder()
              .setRequest(TestRequests.generate(id, "hello " + id))
              .setSource(new SourceInfo("armguard.requests", partition, offset++))
              .setEnqueuedAt(Instant.EPOCH)
              .build();
      processor.process(new Record<>(id, b, 0L));
    }

    List<String> completed() {
      List<String> out = new ArrayList<>();
      context
          .forwarded(ArmguardTopology.COMPLETIONS_SINK)
          .forEach(f -> out.add(((Completion) f.record().value()).getRequestId()));
      return out;
    }

    List<AuditRecord> audits() {
      List<AuditRecord> out = new ArrayList<>();
      context
          .forwarded(ArmguardTopology.AUDIT_SINK)
          .forEach(f -> out.add((AuditRecord) f.record().value()));
      return out;
    }

    int storeSize() {
      int n = 0;
      try (KeyValueIterator<Long, BufferedRequest> it = store.all()) {
        while (it.hasNext()) {
          it.next();
          n++;
        }
      }
      return n;
    }

    /**
     * Fires the punctuator (as the stream thread does) until {@code n} answers are forwarded,
     * waiting for the scheduler's next batch whenever a tick finds too few.
     */
    void awaitCompleted(int n) {
      while (true) {
        int seen = deliveries.count(); // before the tick: a batch handed out during it counts
        processor.tick();
        if (completed().size() >= n) {
          return;
        }
        deliveries.awaitMoreThan(seen);
      }
    }
  }

  @Test
  void fourTasksShareOneBatchAndEachForwardsOnlyItsOwnAnswers() {
    Supplier<DecodeScheduler> scheduler = schedulerOf("8", "2");
    List<TaskHarness> tasks = new ArrayList<>();
    for (int p = 0; p < 4; p++) {
      tasks.add(new TaskHarness(p, scheduler));
    }
    for (TaskHarness t : tasks) {
      t.offer("p" + t.partition + "-a");
      t.offer("p" + t.partition + "-b");
    }
    for (TaskHarness t : tasks) {
      t.awaitCompleted(2);
      assertEquals(List.of("p" + t.partition + "-a", "p" + t.partition + "-b"), t.completed());
      assertEquals(2, t.audits().size());
      assertTrue(
          t.audits().stream()
              .allMatch(
                  a ->
                      a.getTimings().getBatchSize() == 8
                          && a.getSource().getPartition() == t.partition),
          "one batch of 8 across the 4 tasks");
      assertEquals(0, t.storeSize(), "answered requests leave their own task's store");
      assertTrue(t.context.committed(), "nothing else in hand: commit at once");
    }
    assertEquals(List.of(8), engine.generateBatchSizes);
    assertEquals(1, scheduler.get().batchesDecoded());
  }

  @Test
  void aTaskOverItsShareKeepsRequestsInItsStoreWithoutBlocking() {
    Supplier<DecodeScheduler> scheduler = schedulerOf("2", "1"); // 2 pending per task
    TaskHarness t = new TaskHarness(0, scheduler);
    // The word-list engine decodes under its own monitor: holding it keeps the engine busy.
    synchronized (engine) {
      for (int i = 0; i < 5; i++) {
        t.offer("r" + i); // returns at once: the stream thread is never held
      }
      assertEquals(3, t.processor.heldBack(), "r2-r4 wait in the task's buffer");
      assertEquals(5, t.storeSize(), "all five durable");
    }
    t.offer("r5");
    t.awaitCompleted(6);
    assertEquals(List.of("r0", "r1", "r2", "r3", "r4", "r5"), t.completed());
    assertEquals(0, t.storeSize());
    assertEquals(List.of(2, 2, 2), engine.generateBatchSizes);
  }

  @Test
  void aClosedTasksRequestsLeaveTheSchedulerAndAreAnsweredByTheNextOwner() {
    Supplier<DecodeScheduler> scheduler = schedulerOf("2", "2");
    TaskHarness first = new TaskHarness(0, scheduler);
    first.offer("kept");
    assertEquals(1, scheduler.get().queued(), "alone, the batch is not full");
    first.processor.close(); // revoked
    assertEquals(0, scheduler.get().queued());
    assertEquals(1, first.storeSize(), "still in the store for the next owner");

    TaskHarness next = new TaskHarness(0, scheduler, first);
    assertEquals(1, scheduler.get().queued(), "recovered from the store and offered again");
    next.offer("new");
    next.awaitCompleted(2);
    assertEquals(List.of("kept", "new"), next.completed());
    assertTrue(first.completed().isEmpty());
    assertEquals(0, next.storeSize());
  }

  @Test
  void aRevivedProcessorIgnoresAnswersOfItsEarlierIncarnation() {
    Supplier<DecodeScheduler> scheduler = schedulerOf("2", "2");
    TaskHarness t = new TaskHarness(0, scheduler);
    t.offer("x");
    t.processor.init(t.context); // revived after an error: the store still holds x
    assertEquals(1, scheduler.get().queued(), "x offered once, by the new incarnation");
    t.offer("y");
    t.awaitCompleted(2);
    assertEquals(1, scheduler.get().batchesDecoded(), "x and y in one batch, x not twice");
    t.processor.tick();
    assertEquals(List.of("x", "y"), t.completed());
  }
}
