package io.armguard.streams;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.armguard.config.ArmguardConfig;
import io.armguard.decode.DecodeRequest;
import io.armguard.decode.DecodeResult;
import io.armguard.moderate.ModerationPolicy;
import io.armguard.moderate.WordListEngine;
import io.armguard.schema.Action;
import io.armguard.schema.AuditRecord;
import io.armguard.schema.BufferedRequest;
import io.armguard.schema.Completion;
import io.armguard.schema.GenerationRequest;
import io.armguard.schema.SourceInfo;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.processor.PunctuationType;
import org.apache.kafka.streams.processor.api.MockProcessorContext;
import org.apache.kafka.streams.processor.api.MockProcessorContext.CapturedPunctuator;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.Stores;
import org.junit.jupiter.api.Test;

class MicroBatchProcessorTest {

  private final ArmguardConfig config =
      ArmguardConfig.from(
          Map.of(
              "batch.size", "3",
              "batch.max.delay.ms", "100",
              "batch.max.in.flight", "0",
              "instance.id", "test-1"),
          Map.of());

  /** As {@link #config}, but batches decode on the lane's worker, at most one in flight. */
  private final ArmguardConfig asyncConfig =
      ArmguardConfig.from(
          Map.of(
              "batch.size", "3",
              "batch.max.delay.ms", "100",
              "batch.max.in.flight", "1",
              "instance.id", "test-1"),
          Map.of());

  private final WordListEngine engine = new WordListEngine();

  private static final class Harness {
    final MockProcessorContext<String, Object> context = new MockProcessorContext<>();
    final KeyValueStore<Long, BufferedRequest> store;
    final EnginePool pool;
    final MicroBatchProcessor processor;

    Harness(
        ArmguardConfig config,
        WordListEngine engine,
        List<KeyValue<Long, BufferedRequest>> restored) {
      store =
          Stores.keyValueStoreBuilder(
                  Stores.inMemoryKeyValueStore(ArmguardTopology.BUFFER_STORE),
                  Serdes.Long(),
                  TestSerdes.create("processor-test").buffered())
              .withLoggingDisabled()
              .build();
      store.init(context.getStateStoreContext(), store);
      context.addStateStore(store);
      restored.forEach(kv -> store.put(kv.key, kv.value));
      pool = new EnginePool(() -> engine);
      processor =
          new MicroBatchProcessor(
              ArmguardTopology.BUFFER_STORE,
              config.batchSize(),
              config.batchMaxDelayMs(),
              config.batchMaxInFlight(),
              pool,
              ModerationPolicy.builder()
                  .repair(io.armguard.moderate.FirstRepair.REWRITE) // the rewrite path is tested
                  .rewriteEmptyPrefix(true)
                  .maxAttempts(1)
                  .rewriteMinNewTokens(2)
                  .fallbackText("[withheld]")
                  .build(),
              new TaskFactory(config),
              new OutcomeRecords("test-1", 0.5f),
              new PipelineMetrics(new SimpleMeterRegistry()),
              context::currentSystemTimeMs);
      context.setCurrentSystemTimeMs(1_000);
      processor.init(context);
    }

    void offer(GenerationRequest r, long offset) {
      BufferedRequest b =
          BufferedRequest.newBuilder()
              .setRequest(r)
              .setSource(new SourceInfo("armguard.requests", 0, offset))
              .setEnqueuedAt(Instant.ofEpochMilli(context.currentSystemTimeMs()))
              .build();
      processor.process(new Record<>(r.getRequestId(), b, 0L));
    }

    List<Completion> completions() {
      List<Completion> out = new ArrayList<>();
      context
          .forwarded(ArmguardTopology.COMPLETIONS_SINK)
          .forEach(f -> out.add((Completion) f.record().value()));
      return out;
    }

    List<AuditRecord> audits() {
      List<AuditRecord> out = new ArrayList<>();
      context
          .forwarded(ArmguardTopology.AUDIT_SINK)
          .forEach(f -> out.add((AuditRecord) f.record().value()));
      return out;
    }

    /**
     * Returns once the decode worker has finished every job queued so far: the test thread is the
     * processor's stream thread, so this is its lane, whose single worker runs jobs in order.
     */
    void drainWorker() throws InterruptedException {
      CountDownLatch drained = new CountDownLatch(1);
      pool.laneForCurrentThread().execute(drained::countDown);
      assertTrue(drained.await(30, TimeUnit.SECONDS), "the decode worker is stuck");
    }

    void fireWallClock(long now) {
      context.setCurrentSystemTimeMs(now);
      CapturedPunctuator p = context.scheduledPunctuators().get(0);
      p.getPunctuator().punctuate(now);
    }

    List<KeyValue<Long, BufferedRequest>> storeContents() {
      List<KeyValue<Long, BufferedRequest>> out = new ArrayList<>();
      try (KeyValueIterator<Long, BufferedRequest> it = store.all()) {
        it.forEachRemaining(out::add);
      }
      return out;
    }
  }

  @Test
  void schedulesAWallClockPunctuatorAtAQuarterOfTheDelay() {
    Harness h = new Harness(config, engine, List.of());
    CapturedPunctuator p = h.context.scheduledPunctuators().get(0);
    assertEquals(PunctuationType.WALL_CLOCK_TIME, p.getType());
    assertEquals(Duration.ofMillis(25), p.getInterval());
  }

  @Test
  void flushesWhenBatchSizeRequestsWait() {
    Harness h = new Harness(config, engine, List.of());
    h.offer(TestRequests.generate("r1", "once upon a time"), 1);
    h.offer(TestRequests.moderate("r2", "hi", "ok, you are an idiot"), 2);
    assertTrue(h.context.forwarded().isEmpty());
    assertEquals(2, h.storeContents().size());
    h.offer(TestRequests.moderate("r3", "hi", "hello friend"), 3);

    assertEquals(
        List.of("r1", "r2", "r3"), h.completions().stream().map(Completion::getRequestId).toList());
    assertEquals(
        List.of(Action.GENERATED, Action.REWRITTEN, Action.ALLOWED),
        h.completions().stream().map(Completion::getAction).toList());
    assertEquals(3, h.audits().size());
    AuditRecord rewritten = h.audits().get(1);
    assertEquals(3, rewritten.getRewrittenSpan().getBegin()); // the clause "ok," is kept
    assertEquals(20, rewritten.getRewrittenSpan().getEnd());
    assertEquals(2L, rewritten.getSource().getOffset());
    assertEquals(3, rewritten.getTimings().getBatchSize());
    assertEquals("wordlist-lm", rewritten.getModels().get(0).getName());
    assertTrue(h.storeContents().isEmpty());
    assertEquals(
        List.of(1, 1), engine.generateBatchSizes); // GENERATE batch, then one rewrite round
  }

  @Test
  void flushesWhenTheOldestHasWaitedTheMaximumDelay() {
    Harness h = new Harness(config, engine, List.of());
    h.offer(TestRequests.generate("r1", "hello"), 1);
    h.context.setCurrentSystemTimeMs(1_060);
    h.offer(TestRequests.generate("r2", "hello again"), 2);
    h.fireWallClock(1_099);
    assertTrue(h.context.forwarded().isEmpty(), "oldest waited 99 ms < 100 ms");
    h.fireWallClock(1_100);
    assertEquals(2, h.completions().size());
    assertEquals(100L, h.audits().get(0).getTimings().getQueueWaitMs());
    assertEquals(40L, h.audits().get(1).getTimings().getQueueWaitMs());
    assertTrue(h.storeContents().isEmpty());
    h.context.resetForwards();
    h.fireWallClock(5_000);
    assertTrue(h.context.forwarded().isEmpty(), "nothing buffered, nothing flushed");
  }

  @Test
  void requestsBufferedBeforeACrashAreDecodedAfterRestore() {
    Harness before = new Harness(config, engine, List.of());
    before.offer(TestRequests.generate("r1", "one"), 1);
    before.offer(TestRequests.generate("r2", "two"), 2);
    assertTrue(before.context.forwarded().isEmpty());
    // Crash: the processor dies without flushing. What the changelog holds is what the store held.
    List<KeyValue<Long, BufferedRequest>> changelog = before.storeContents();
    assertEquals(2, changelog.size());

    Harness after = new Harness(config, engine, changelog);
    assertEquals(2, after.processor.buffered());
    after.offer(TestRequests.generate("r3", "three"), 3);
    assertEquals(
        List.of("r1", "r2", "r3"),
        after.completions().stream().map(Completion::getRequestId).toList());
    assertTrue(after.storeContents().isEmpty());

    // And a restored buffer that is only old (no new arrivals) leaves on the delay.
    Harness idle = new Harness(config, engine, changelog);
    idle.fireWallClock(1_100);
    assertEquals(
        List.of("r1", "r2"), idle.completions().stream().map(Completion::getRequestId).toList());
  }

  @Test
  void oneUndecodableRequestDoesNotFailItsBatchMates() {
    WordListEngine picky =
        new WordListEngine() {
          @Override
          public List<DecodeResult> generate(List<DecodeRequest> batch) {
            if (batch.stream().anyMatch(r -> r.prompt().contains("poison"))) {
              throw new IllegalArgumentException("no reward model loaded for strategy RAD");
            }
            return super.generate(batch);
          }
        };
    Harness h = new Harness(config, picky, List.of());
    h.offer(TestRequests.generate("r1", "a"), 1);
    h.offer(TestRequests.generate("r2", "poison"), 2);
    h.offer(TestRequests.generate("r3", "c"), 3);
    assertEquals(
        List.of(Action.GENERATED, Action.REJECTED, Action.GENERATED),
        h.completions().stream().map(Completion::getAction).toList());
    assertTrue(h.completions().get(1).getError().contains("strategy RAD"));
  }

  @Test
  void aFailingDecodeAnswersTheBatchRejected() {
    WordListEngine broken =
        new WordListEngine() {
          @Override
          public List<DecodeResult> generate(List<DecodeRequest> batch) {
            throw new IllegalStateException("native out of memory");
          }
        };
    Harness h = new Harness(config, broken, List.of());
    h.offer(TestRequests.generate("r1", "a"), 1);
    h.offer(TestRequests.generate("r2", "b"), 2);
    h.offer(TestRequests.generate("r3", "c"), 3);
    assertEquals(3, h.completions().size());
    for (Completion c : h.completions()) {
      assertEquals(Action.REJECTED, c.getAction());
      assertTrue(c.getError().contains("native out of memory"), c.getError());
    }
    assertEquals("decode", h.audits().get(0).getStage());
    assertTrue(h.storeContents().isEmpty());
  }

  /**
   * A word-list engine whose generate() waits until the test opens the gate; it says when a batch
   * has reached it and when it has produced a result.
   */
  private static final class GatedEngine extends WordListEngine {
    final CountDownLatch gate = new CountDownLatch(1);
    final CountDownLatch started = new CountDownLatch(1);
    final CountDownLatch produced = new CountDownLatch(1);

    @Override
    public List<DecodeResult> generate(List<DecodeRequest> batch) {
      started.countDown();
      try {
        if (!gate.await(30, TimeUnit.SECONDS)) {
          throw new IllegalStateException("gate never opened");
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException(e);
      }
      List<DecodeResult> out = super.generate(batch);
      produced.countDown();
      return out;
    }
  }

  /**
   * Lets the worker finish what it holds, then fires the punctuator, until {@code n} completions
   * were forwarded: each round answers the batches the worker finished and may hand it the next
   * one, so there are at most {@code n} rounds.
   */
  private static void awaitCompletions(Harness h, int n) throws InterruptedException {
    for (int round = 0; h.completions().size() < n && round < n; round++) {
      h.drainWorker();
      h.fireWallClock(h.context.currentSystemTimeMs());
    }
    assertEquals(n, h.completions().size());
  }

  @Test
  void asynchronousProcessorPollsResultsEveryTenMillisecondsAtMost() {
    assertEquals(Duration.ofMillis(10), MicroBatchProcessor.punctuationInterval(50, true));
    assertEquals(Duration.ofMillis(2), MicroBatchProcessor.punctuationInterval(8, true));
    assertEquals(Duration.ofMillis(12), MicroBatchProcessor.punctuationInterval(50, false));
  }

  @Test
  void aBatchDecodesOnTheWorkerWhileTheStreamThreadGoesOn() throws Exception {
    GatedEngine gated = new GatedEngine();
    Harness h = new Harness(asyncConfig, gated, List.of());
    h.offer(TestRequests.generate("r1", "one"), 1);
    h.offer(TestRequests.generate("r2", "two"), 2);
    h.offer(TestRequests.moderate("r3", "hi", "you are an idiot"), 3); // batch leaves, returns
    assertEquals(1, h.processor.inFlight());
    h.fireWallClock(1_010);
    assertTrue(h.context.forwarded().isEmpty(), "nothing answered while the batch decodes");
    assertEquals(3, h.storeContents().size(), "requests stay in the store until answered");
    assertFalse(h.context.committed(), "no commit asked for while work is in hand");

    gated.gate.countDown();
    awaitCompletions(h, 3);
    assertEquals(
        List.of("r1", "r2", "r3"), h.completions().stream().map(Completion::getRequestId).toList());
    assertEquals(Action.REWRITTEN, h.completions().get(2).getAction());
    assertEquals(3, h.audits().size());
    assertTrue(h.storeContents().isEmpty());
    assertEquals(0, h.processor.inFlight());
    assertTrue(h.context.committed(), "idle after answering: commit now, not at the interval");
  }

  @Test
  void aFullWorkerLeavesTheNextBatchInTheDurableBufferWithoutBlocking() throws Exception {
    GatedEngine gated = new GatedEngine();
    Harness h = new Harness(asyncConfig, gated, List.of());
    assertTimeoutPreemptively(
        Duration.ofSeconds(10),
        () -> {
          for (int i = 1; i <= 6; i++) { // two batches; batch.max.in.flight is 1
            h.offer(TestRequests.generate("r" + i, "text " + i), i);
          }
          h.fireWallClock(5_000); // all due: still only one slot
        },
        "the stream thread must not wait for the worker");
    assertEquals(1, h.processor.inFlight());
    assertEquals(6, h.processor.buffered());
    assertEquals(6, h.storeContents().size(), "the second batch waits in the store");

    gated.gate.countDown();
    awaitCompletions(h, 6);
    assertEquals(
        List.of("r1", "r2", "r3", "r4", "r5", "r6"),
        h.completions().stream().map(Completion::getRequestId).toList());
    assertTrue(h.storeContents().isEmpty());
  }

  @Test
  void aTaskClosedWhileItsBatchDecodesLeavesTheRequestsForTheNextOwner() throws Exception {
    GatedEngine gated = new GatedEngine();
    Harness before = new Harness(asyncConfig, gated, List.of());
    before.offer(TestRequests.generate("r1", "one"), 1);
    before.offer(TestRequests.generate("r2", "two"), 2);
    before.offer(TestRequests.generate("r3", "three"), 3);
    assertTrue(gated.started.await(30, TimeUnit.SECONDS), "the batch reached the worker");
    List<KeyValue<Long, BufferedRequest>> changelog = before.storeContents();
    before.processor.close(); // rebalance: the task moves while the worker is mid-batch
    gated.gate.countDown();
    assertTrue(gated.produced.await(30, TimeUnit.SECONDS), "the late result was produced");
    before.drainWorker(); // and the worker is done with it: dropped, or waiting to be answered
    before.fireWallClock(2_000);
    assertTrue(before.context.forwarded().isEmpty(), "a closed task answers nothing");

    Harness after = new Harness(config, engine, changelog);
    after.fireWallClock(1_100);
    assertEquals(
        List.of("r1", "r2", "r3"),
        after.completions().stream().map(Completion::getRequestId).toList());
  }

  @Test
  void aRevivedProcessorAnswersEveryRequestSynchronously() {
    // Kafka Streams re-initialises the same instance after a task error (TaskManager revive).
    Harness h = new Harness(config, engine, List.of());
    h.offer(TestRequests.generate("old", "before the error"), 1);
    h.processor.close();
    h.processor.init(h.context);
    assertEquals(1, h.processor.buffered(), "the stored request is recovered, once");
    for (int i = 0; i < 11; i++) {
      h.offer(TestRequests.generate("n" + i, "after the revive"), 2 + i);
    }
    h.fireWallClock(10_000);
    assertEquals(12, h.completions().size());
    assertTrue(h.storeContents().isEmpty());
    assertEquals(0, h.processor.inFlight());
  }

  @Test
  void aRevivedAsyncProcessorDoesNotWaitForBatchesOfItsEarlierIncarnation() {
    Harness h = new Harness(asyncConfig, engine, List.of());
    for (int i = 0; i < 3; i++) { // one batch out on the worker
      h.offer(TestRequests.generate("old" + i, "before the error"), i);
    }
    h.processor.close(); // its result, if any, belongs to the closed incarnation
    h.processor.init(h.context);
    assertTimeoutPreemptively(
        Duration.ofSeconds(20),
        () -> {
          for (int i = 0; i < 9; i++) {
            h.offer(TestRequests.generate("n" + i, "after the revive"), 10 + i);
          }
          while (h.processor.buffered() > 0) {
            h.fireWallClock(h.context.currentSystemTimeMs() + 1_000);
            Thread.onSpinWait();
          }
        });
    List<String> ids = h.completions().stream().map(Completion::getRequestId).toList();
    assertEquals(12, ids.size(), ids.toString());
    assertEquals(12, ids.stream().distinct().count(), "each answered once: " + ids);
    assertTrue(h.storeContents().isEmpty());
  }
}
