package io.armguard.streams;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.armguard.config.ArmguardConfig;
import io.armguard.moderate.BatchModerator;
import io.armguard.moderate.ModerationPolicy;
import io.armguard.moderate.Task;
import io.armguard.moderate.WordListEngine;
import io.armguard.schema.BufferedRequest;
import io.armguard.schema.SourceInfo;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The instance-wide scheduler with fake tasks (clients offering requests by hand) over the
 * word-list engine: batches form across tasks, answers go back to the task that offered them,
 * back-pressure refuses without blocking, closed tasks' work is dropped.
 */
class DecodeSchedulerTest {

  private static final Duration WAIT = Duration.ofSeconds(20);

  private final ArmguardConfig config =
      ArmguardConfig.from(Map.of("instance.id", "test-1"), Map.of());
  private final TaskFactory taskFactory = new TaskFactory(config);
  private static final ModerationPolicy POLICY =
      ModerationPolicy.builder()
          .maxAttempts(1)
          .rewriteMinNewTokens(2)
          .fallbackText("[withheld]")
          .build();
  private final WordListEngine engine = new WordListEngine();
  private final BatchDecider decider = new BatchDecider(new BatchModerator(engine, POLICY));

  /** The requests of every batch decoded, by id, in decode order. */
  private final List<List<String>> decodedBatches = new CopyOnWriteArrayList<>();

  private DecodeScheduler scheduler;
  private final SimpleMeterRegistry registry = new SimpleMeterRegistry();

  @AfterEach
  void close() {
    if (scheduler != null) {
      scheduler.close();
    }
  }

  private DecodeScheduler start(int batchSize, long delayMs, int perTask, CountDownLatch gate) {
    scheduler =
        DecodeScheduler.start(
            engine,
            DecodeScheduler.Settings.batching(batchSize, delayMs, perTask),
            batch -> {
              decodedBatches.add(batch.stream().map(Task::id).toList());
              try {
                gate.await();
              } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
              }
              return decider.decide(batch, "test");
            },
            new PipelineMetrics(registry),
            System::currentTimeMillis);
    return scheduler;
  }

  private DecodeScheduler start(int batchSize, long delayMs, int perTask) {
    return start(batchSize, delayMs, perTask, new CountDownLatch(0));
  }

  private static BufferedRequest buffered(String id) {
    return BufferedRequest.newBuilder()
        .setRequest(TestRequests.generate(id, "hello " + id))
        .setSource(new SourceInfo("armguard.requests", 0, 0L))
        .setEnqueuedAt(Instant.ofEpochMilli(System.currentTimeMillis()))
        .build();
  }

  private boolean offer(DecodeScheduler.Client c, long key, String id) {
    BufferedRequest b = buffered(id);
    return c.offer(key, b, taskFactory.toTask(b.getRequest()));
  }

  private static List<ScheduledAnswer> answers(DecodeScheduler.Client c, int n) {
    return SchedulerAnswers.answers(c, n, WAIT);
  }

  private static void awaitTrue(BooleanSupplier condition) {
    SchedulerAnswers.awaitTrue(condition, WAIT);
  }

  private double queuedGauge() {
    return registry.get("armguard.scheduler.queued.requests").gauge().value();
  }

  @Test
  void oneBatchSpansFourTasksAndEachAnswerGoesBackToItsTask() {
    start(4, 60_000, 8); // the delay never passes: only a full batch leaves
    List<DecodeScheduler.Client> clients = new ArrayList<>();
    for (int t = 0; t < 4; t++) {
      DecodeScheduler.Client c = scheduler.register("0_" + t);
      clients.add(c);
      assertTrue(offer(c, 10 + t, "task" + t));
    }
    for (int t = 0; t < 4; t++) {
      List<ScheduledAnswer> got = answers(clients.get(t), 1);
      assertEquals(1, got.size(), "exactly its own answer");
      ScheduledAnswer a = got.get(0);
      assertEquals(10 + t, a.key());
      assertEquals("task" + t, a.buffered().getRequest().getRequestId());
      assertNotNull(a.verdict());
      assertEquals(4, a.batch().size());
      assertNull(clients.get(t).poll());
      assertEquals(0, clients.get(t).pending());
    }
    assertEquals(List.of(List.of("task0", "task1", "task2", "task3")), decodedBatches);
    assertEquals(List.of(4), engine.generateBatchSizes);
  }

  @Test
  void withTwoEnginesASecondBatchIsDecodedWhileTheFirstDeviceIsBusy() {
    CountDownLatch gate = new CountDownLatch(1);
    WordListEngine second = new WordListEngine();
    BatchDecider secondDecider = new BatchDecider(new BatchModerator(second, POLICY));
    scheduler =
        DecodeScheduler.start(
            List.of(engine, second),
            DecodeScheduler.Settings.batching(1, 0, 8),
            on ->
                batch -> {
                  decodedBatches.add(batch.stream().map(Task::id).toList());
                  try {
                    gate.await(); // both devices hold their batch until both have one
                  } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                  }
                  return (on == engine ? decider : secondDecider).decide(batch, "test");
                },
            new PipelineMetrics(registry),
            System::currentTimeMillis);
    assertEquals(2, scheduler.engines());
    DecodeScheduler.Client c = scheduler.register("0_0");
    assertTrue(offer(c, 1, "first"));
    assertTrue(offer(c, 2, "second"));
    awaitTrue(() -> decodedBatches.size() == 2); // one device alone would wait at the gate
    gate.countDown();
    assertEquals(2, answers(c, 2).size());
    assertEquals(List.of(1), engine.generateBatchSizes, "one batch on each engine");
    assertEquals(List.of(1), second.generateBatchSizes);
  }

  @Test
  void aLoneRequestLeavesOnceItHasWaitedTheDelay() {
    start(8, 60, 8);
    DecodeScheduler.Client c = scheduler.register("0_0");
    assertTrue(offer(c, 1, "alone"));
    ScheduledAnswer a = answers(c, 1).get(0);
    assertEquals(1, a.batch().size());
    long waited = a.batch().startMs() - a.buffered().getEnqueuedAt().toEpochMilli();
    assertTrue(waited >= 60, "decoded after " + waited + " ms, before the delay");
  }

  @Test
  void aTaskWithItsShareTakenIsRefusedWithoutBlockingAndOthersStillGetIn() {
    CountDownLatch gate = new CountDownLatch(1);
    start(2, 0, 2, gate);
    DecodeScheduler.Client a = scheduler.register("0_0");
    DecodeScheduler.Client b = scheduler.register("0_1");
    assertTrue(offer(a, 1, "a1"));
    assertTrue(offer(a, 2, "a2"));
    assertFalse(a.hasRoom());
    assertFalse(offer(a, 3, "a3"), "refused: a has 2 pending");
    assertTrue(offer(b, 1, "b1"), "another task's share is its own");
    gate.countDown();
    assertEquals(2, answers(a, 2).size());
    assertTrue(a.hasRoom());
    assertTrue(offer(a, 3, "a3"), "taken once its answers were polled");
    assertEquals(1, answers(a, 1).size());
    assertEquals(1, answers(b, 1).size());
  }

  @Test
  void aClosedTasksQueuedRequestsAreDroppedAndItsAnswersDiscarded() {
    CountDownLatch gate = new CountDownLatch(1);
    start(1, 0, 8, gate);
    DecodeScheduler.Client a = scheduler.register("0_0");
    DecodeScheduler.Client b = scheduler.register("0_1");
    assertTrue(offer(a, 1, "a-decoding"));
    awaitTrue(() -> decodedBatches.size() == 1); // the worker holds a1 behind the gate
    assertTrue(offer(a, 2, "a-queued"));
    assertTrue(offer(b, 1, "b-queued"));
    assertEquals(2, scheduler.queued());
    assertEquals(2.0, queuedGauge());
    a.close();
    assertEquals(1, scheduler.queued(), "a's queued request left the scheduler");
    assertEquals(1.0, queuedGauge());
    assertFalse(offer(a, 3, "a-after-close"));
    gate.countDown();
    assertEquals("b-queued", answers(b, 1).get(0).buffered().getRequest().getRequestId());
    awaitTrue(() -> scheduler.batchesDecoded() == 2);
    assertNull(a.poll(), "the batch that was decoding is not answered to a closed task");
    assertEquals(List.of(List.of("a-decoding"), List.of("b-queued")), decodedBatches);
  }

  @Test
  void aBatchWhoseDecodeThrowsAnErrorIsAnsweredAsFailed() {
    scheduler =
        DecodeScheduler.start(
            engine,
            DecodeScheduler.Settings.batching(2, 0, 8),
            batch -> {
              throw new OutOfMemoryError("native");
            },
            new PipelineMetrics(new SimpleMeterRegistry()),
            System::currentTimeMillis);
    DecodeScheduler.Client c = scheduler.register("0_0");
    assertTrue(offer(c, 1, "x"));
    assertTrue(offer(c, 2, "y"));
    List<ScheduledAnswer> got = answers(c, 2);
    assertTrue(got.stream().allMatch(a -> a.verdict() == null));
    assertTrue(got.get(0).failure().contains("OutOfMemoryError"), got.get(0).failure());
    assertTrue(offer(c, 3, "z"), "the worker lives on");
    assertEquals(1, answers(c, 1).size());
  }

  @Test
  void closeStopsTheWorkerAndClosesTheEngine() {
    start(4, 60_000, 8);
    DecodeScheduler.Client c = scheduler.register("0_0");
    assertTrue(offer(c, 1, "never-full"));
    scheduler.close();
    assertTrue(engine.closed);
    assertFalse(offer(c, 2, "after-close"));
    assertEquals(0, scheduler.queued());
    scheduler = null;
  }
}
