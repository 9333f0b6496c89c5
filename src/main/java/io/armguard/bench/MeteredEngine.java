package io.armguard.bench;

import io.armguard.decode.ForwardingEngine;
import io.armguard.decode.GuidedEngine;
import io.armguard.decode.PrefixScores;
import io.armguard.decode.StreamScores;
import io.armguard.decode.StreamText;
import io.armguard.decode.TextScoreRequest;
import java.util.Collection;
import java.util.List;
import java.util.concurrent.atomic.LongAdder;

/**
 * A {@link GuidedEngine} that counts what its {@link #scorePrefixes} and {@link #scoreStreams}
 * calls cost: calls, texts, token positions run through the reward model (BOS + each text's tokens;
 * for streams what the engine ran, its cache aside) and wall time inside the engine; everything
 * else is passed through. The counters are thread-safe (the engine runs on a decode worker while
 * the benchmark reads them); the engine's own threading contract is the delegate's. Closing closes
 * the delegate.
 */
public final class MeteredEngine extends ForwardingEngine {

  /** A reading of the counters. */
  public record Reading(long calls, long texts, long positions, long nanos) {
    public Reading minus(Reading before) {
      return new Reading(
          calls - before.calls,
          texts - before.texts,
          positions - before.positions,
          nanos - before.nanos);
    }
  }

  private final LongAdder calls = new LongAdder();
  private final LongAdder texts = new LongAdder();
  private final LongAdder positions = new LongAdder();
  private final LongAdder nanos = new LongAdder();

  public MeteredEngine(GuidedEngine delegate) {
    super(delegate);
  }

  /** The counters now (summed over every call so far). */
  public Reading reading() {
    return new Reading(calls.sum(), texts.sum(), positions.sum(), nanos.sum());
  }

  @Override
  public List<PrefixScores> scorePrefixes(List<TextScoreRequest> batch) {
    long t0 = System.nanoTime();
    List<PrefixScores> out = delegate.scorePrefixes(batch);
    nanos.add(System.nanoTime() - t0);
    calls.increment();
    texts.add(batch.size());
    for (PrefixScores p : out) {
      positions.add(p.tokenIds().length + 1L); // + BOS
    }
    return out;
  }

  /** Counted as what the engine reports it ran (a cached stream runs only its new tokens). */
  @Override
  public List<StreamScores> scoreStreams(List<StreamText> batch, Collection<String> forget) {
    long t0 = System.nanoTime();
    List<StreamScores> out = delegate.scoreStreams(batch, forget);
    nanos.add(System.nanoTime() - t0);
    calls.increment();
    texts.add(batch.size());
    for (StreamScores s : out) {
      positions.add(s.positionsRun());
    }
    return out;
  }
}
