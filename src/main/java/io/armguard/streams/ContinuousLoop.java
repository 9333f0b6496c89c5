package io.armguard.streams;

import io.armguard.decode.ContinuousDecoding;
import io.armguard.decode.DecodeRequest;
import io.armguard.decode.DecodeResult;
import io.armguard.decode.ForwardingEngine;
import io.armguard.decode.GuidedEngine;
import io.armguard.decode.PrefixScores;
import io.armguard.decode.StreamScores;
import io.armguard.decode.StreamText;
import io.armguard.decode.TextScoreRequest;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The decode thread of a continuous {@link DecodeScheduler}: it owns the engine and runs, over and
 * over, (1) one scoring pass over every scoring call waiting, then (2) one token step of the
 * running batch ({@link ContinuousDecoding#iterate}), where generation calls' rows joined at the
 * last token boundary and leave when done.
 *
 * <p>Callers see it as a {@link GuidedEngine} ({@link #engine()}): {@code generate} and {@code
 * scorePrefixes} hand their work to the loop and block their own thread until it is done, so many
 * request threads (one per request being decided) share every pass. A row whose pass failed is
 * retried once in a batch of its own; a scoring batch that failed is rerun call by call; what still
 * fails throws to its own caller only.
 *
 * <p>Lifecycle: {@link #run} on the engine's one decode thread; {@link #close} (or interrupting
 * that thread) ends it after the current pass, failing every call still waiting.
 */
final class ContinuousLoop implements Runnable {

  private static final Logger LOG = LoggerFactory.getLogger(ContinuousLoop.class);

  /** One scoring call waiting for the next pass. */
  private record ScoreJob(
      List<TextScoreRequest> texts, CompletableFuture<List<PrefixScores>> done) {}

  /** Told once per token step, on the loop thread. */
  @FunctionalInterface
  interface StepListener {
    void stepped(int rows, long stepMs);
  }

  private final GuidedEngine engine;
  private final ContinuousDecoding decoding;
  private final StepListener steps;
  private final ReentrantLock lock = new ReentrantLock();
  private final Condition work = lock.newCondition();
  private final ArrayDeque<ScoreJob> scoring = new ArrayDeque<>();
  private final GuidedEngine facade;
  private boolean closed;

  /**
   * @param engine decoded on only by {@link #run}'s thread
   * @param maxRows most rows in the running batch
   */
  ContinuousLoop(GuidedEngine engine, int maxRows, StepListener steps) {
    this.engine = engine;
    this.decoding = engine.continuous(maxRows);
    this.steps = steps;
    this.facade = new Facade(); // after engine: the facade forwards to it
  }

  /** The engine as request threads use it: thread-safe, each call blocking until served. */
  GuidedEngine engine() {
    return facade;
  }

  /** Scoring calls waiting for the next pass (for tests). */
  int scoringCallsWaiting() {
    lock.lock();
    try {
      return scoring.size();
    } finally {
      lock.unlock();
    }
  }

  /** Generation rows admitted or decoding (for tests). */
  int rowsInFlight() {
    return decoding.rows();
  }

  /** Steps and rows stepped so far. */
  ContinuousDecoding.Stats stats() {
    return decoding.stats();
  }

  @Override
  public void run() {
    try {
      while (!Thread.currentThread().isInterrupted()) {
        List<ScoreJob> jobs = new ArrayList<>();
        lock.lock();
        try {
          while (!closed && scoring.isEmpty() && decoding.rows() == 0) {
            work.await();
          }
          if (closed) {
            return;
          }
          jobs.addAll(scoring);
          scoring.clear();
        } finally {
          lock.unlock();
        }
        if (!jobs.isEmpty()) {
          score(jobs);
        }
        long t0 = System.nanoTime();
        int rows = decoding.iterate();
        if (rows > 0) {
          steps.stepped(rows, (System.nanoTime() - t0) / 1_000_000);
        }
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (Throwable t) { // an Error must not leave request threads waiting forever
      LOG.error("continuous decode loop failed; its waiting calls fail", t);
    } finally {
      shutDown();
    }
  }

  /** One engine call for every waiting scoring job; on failure, one per job. */
  private void score(List<ScoreJob> jobs) {
    List<TextScoreRequest> all = new ArrayList<>();
    jobs.forEach(j -> all.addAll(j.texts()));
    try {
      List<PrefixScores> scores = engine.scorePrefixes(all);
      int k = 0;
      for (ScoreJob j : jobs) {
        j.done().complete(scores.subList(k, k + j.texts().size()));
        k += j.texts().size();
      }
      return;
    } catch (RuntimeException e) {
      if (jobs.size() == 1) {
        jobs.get(0).done().completeExceptionally(e);
        return;
      }
      LOG.warn("a scoring pass of {} calls failed ({}); scoring them one by one", jobs.size(), e);
    }
    for (ScoreJob j : jobs) {
      try {
        j.done().complete(engine.scorePrefixes(j.texts()));
      } catch (RuntimeException e) {
        j.done().completeExceptionally(e);
      }
    }
  }

  /** Ends the loop after the current pass; waiting calls fail. Idempotent, any thread. */
  void close() {
    lock.lock();
    try {
      closed = true;
      work.signalAll();
    } finally {
      lock.unlock();
    }
  }

  private void shutDown() {
    List<ScoreJob> left;
    lock.lock();
    try {
      closed = true;
      left = new ArrayList<>(scoring);
      scoring.clear();
    } finally {
      lock.unlock();
    }
    IllegalStateException gone = new IllegalStateException("the decode scheduler closed");
    left.forEach(j -> j.done().completeExceptionally(gone));
    decoding.close(); // fails the rows still decoding
  }

  private void wake() {
    lock.lock();
    try {
      work.signal();
    } finally {
      lock.unlock();
    }
  }

  private static <T> T await(CompletableFuture<T> f) throws ExecutionException {
    try {
      return f.get();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while waiting for the decode loop", e);
    }
  }

  /** Completes a future from the decode thread. */
  private static ContinuousDecoding.Listener completing(CompletableFuture<DecodeResult> f) {
    return new ContinuousDecoding.Listener() {
      @Override
      public void done(DecodeResult result) {
        f.complete(result);
      }

      @Override
      public void failed(RuntimeException cause) {
        f.completeExceptionally(cause);
      }
    };
  }

  private static RuntimeException unwrap(ExecutionException e) {
    return e.getCause() instanceof RuntimeException r
        ? r
        : new IllegalStateException("decode failed: " + e.getCause(), e.getCause());
  }

  /** The loop as a {@link GuidedEngine} for request threads. */
  private final class Facade extends ForwardingEngine {

    Facade() {
      super(engine);
    }

    @Override
    public List<DecodeResult> generate(List<DecodeRequest> batch) {
      List<CompletableFuture<DecodeResult>> rows = new ArrayList<>(batch.size());
      for (DecodeRequest r : batch) {
        CompletableFuture<DecodeResult> f = new CompletableFuture<>();
        decoding.admit(r, false, completing(f)); // a refused request throws here, to its caller
        rows.add(f);
      }
      wake();
      List<DecodeResult> out = new ArrayList<>(batch.size());
      for (int i = 0; i < batch.size(); i++) {
        try {
          out.add(await(rows.get(i)));
        } catch (ExecutionException e) {
          out.add(alone(batch.get(i), e));
        }
      }
      return out;
    }

    /** A row whose shared pass failed, decoded once more in a batch of its own. */
    private DecodeResult alone(DecodeRequest r, ExecutionException first) {
      LOG.info("request {}: its batch failed ({}); decoding it alone", r.id(), first.getCause());
      CompletableFuture<DecodeResult> f = new CompletableFuture<>();
      decoding.admit(r, true, completing(f));
      wake();
      try {
        return await(f);
      } catch (ExecutionException e) {
        throw unwrap(e);
      }
    }

    @Override
    public List<PrefixScores> scorePrefixes(List<TextScoreRequest> batch) {
      ScoreJob job = new ScoreJob(List.copyOf(batch), new CompletableFuture<>());
      lock.lock();
      try {
        if (closed) {
          throw new IllegalStateException("the decode scheduler closed");
        }
        scoring.addLast(job);
        work.signal();
      } finally {
        lock.unlock();
      }
      try {
        return await(job.done());
      } catch (ExecutionException e) {
        throw unwrap(e);
      }
    }

    @Override
    public List<StreamScores> scoreStreams(List<StreamText> batch, Collection<String> forget) {
      throw new UnsupportedOperationException("streams score on their own stream thread's lane");
    }

    @Override
    public ContinuousDecoding continuous(int maxRows) {
      throw new UnsupportedOperationException("the decode loop is already continuous");
    }

    /** The engine belongs to the loop's lane. */
    @Override
    public void close() {}
  }
}
