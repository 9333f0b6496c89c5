package io.armguard.streams;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.armguard.decode.DecodeRequest;
import io.armguard.decode.DecodeResult;
import io.armguard.decode.PrefixScores;
import io.armguard.decode.SteeringDirection;
import io.armguard.decode.Strategy;
import io.armguard.decode.TextScoreRequest;
import io.armguard.moderate.WordListEngine;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The continuous loop's isolation of failures: calls queued together share one pass; when that pass
 * fails, each call is served again on its own, so only the call that cannot be served fails. Both
 * calls are queued before the loop starts, so they are certain to share its first pass.
 */
class ContinuousLoopTest {

  private static final Duration WAIT = Duration.ofSeconds(20);

  /** The callers' threads: each call blocks its own until the loop serves it. */
  private final ExecutorService callers = Executors.newFixedThreadPool(2);

  @AfterEach
  void stopCallers() {
    callers.shutdownNow();
  }

  /** The word-list engine, failing any batch that holds a poisoned text or request. */
  private static final class PoisonEngine extends WordListEngine {
    final List<Integer> scoreBatchSizes = new CopyOnWriteArrayList<>();

    @Override
    public synchronized List<PrefixScores> scorePrefixes(List<TextScoreRequest> batch) {
      scoreBatchSizes.add(batch.size());
      if (batch.stream().anyMatch(t -> t.text().contains("poison"))) {
        throw new IllegalStateException("cannot score poison");
      }
      return super.scorePrefixes(batch);
    }

    @Override
    public synchronized List<DecodeResult> generate(List<DecodeRequest> batch) {
      if (batch.stream().anyMatch(r -> r.id().equals("poison"))) {
        throw new IllegalStateException("cannot decode poison");
      }
      return super.generate(batch);
    }
  }

  private static DecodeRequest request(String id) {
    return new DecodeRequest(
        id, "hello", 4, 5, 1f, 1, Strategy.UNGUIDED, 0f, SteeringDirection.AWAY_FROM_LABEL);
  }

  private static void awaitTrue(java.util.function.BooleanSupplier condition) {
    SchedulerAnswers.awaitTrue(condition, WAIT);
  }

  private static Throwable failureOf(CompletableFuture<?> f) throws Exception {
    try {
      f.get(WAIT.toSeconds(), TimeUnit.SECONDS);
      return null;
    } catch (ExecutionException e) {
      return e.getCause();
    }
  }

  @Test
  void aFailedScoringPassIsRerunCallByCallAndOnlyThePoisonedCallFails() throws Exception {
    PoisonEngine engine = new PoisonEngine();
    ContinuousLoop loop = new ContinuousLoop(engine, 4, (rows, ms) -> {});
    CompletableFuture<List<PrefixScores>> clean =
        CompletableFuture.supplyAsync(
            () -> loop.engine().scorePrefixes(List.of(new TextScoreRequest("", "a kind reply"))),
            callers);
    CompletableFuture<List<PrefixScores>> poisoned =
        CompletableFuture.supplyAsync(
            () -> loop.engine().scorePrefixes(List.of(new TextScoreRequest("", "poison"))),
            callers);
    awaitTrue(() -> loop.scoringCallsWaiting() == 2);
    Thread t = new Thread(loop, "test-decode-loop");
    t.start();
    try {
      assertEquals(1, clean.get(WAIT.toSeconds(), TimeUnit.SECONDS).size());
      assertInstanceOf(IllegalStateException.class, failureOf(poisoned));
      assertEquals(2, engine.scoreBatchSizes.get(0), "one pass for both calls first");
      assertEquals(3, engine.scoreBatchSizes.size(), "then one pass per call");
    } finally {
      loop.close();
      t.join(WAIT.toMillis());
    }
  }

  @Test
  void aRowWhoseBatchFailedIsDecodedAloneAndOnlyThePoisonedRowFails() throws Exception {
    PoisonEngine engine = new PoisonEngine();
    ContinuousLoop loop = new ContinuousLoop(engine, 4, (rows, ms) -> {});
    CompletableFuture<List<DecodeResult>> clean =
        CompletableFuture.supplyAsync(
            () -> loop.engine().generate(List.of(request("clean"))), callers);
    CompletableFuture<List<DecodeResult>> poisoned =
        CompletableFuture.supplyAsync(
            () -> loop.engine().generate(List.of(request("poison"))), callers);
    awaitTrue(() -> loop.rowsInFlight() == 2);
    Thread t = new Thread(loop, "test-decode-loop");
    t.start();
    try {
      assertEquals("clean", clean.get(WAIT.toSeconds(), TimeUnit.SECONDS).get(0).id());
      assertInstanceOf(IllegalStateException.class, failureOf(poisoned));
      assertEquals(List.of(1), engine.generateBatchSizes, "the clean row, decoded alone");
    } finally {
      loop.close();
      t.join(WAIT.toMillis());
    }
    assertTrue(!t.isAlive(), "the loop ends on close");
  }
}
