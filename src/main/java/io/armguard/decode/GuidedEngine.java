package io.armguard.decode;

import java.util.Collection;
import java.util.List;

/**
 * The decoding engine as the rest of armguard sees it: batches of plain Java requests in, plain
 * Java results out. Implementations hold native memory (KV caches, scratch arrays): one instance
 * per stream thread (like a DJL {@code Predictor}), model weights shared between instances.
 *
 * <p>Threading contract, relied on by {@code streams}: the stream thread validates requests and
 * writes audits ({@link #countTokens}, {@link #contextSize}, the ids) while the thread's decode
 * worker runs {@link #generate} or {@link #scorePrefixes} on the same instance.
 *
 * <ul>
 *   <li><b>Decoding calls</b> ({@link #generate}, {@link #scorePrefixes}, {@link #scoreStreams}):
 *       one at a time, from any single thread at a time (the decode worker); never concurrently
 *       with each other or with {@link #close}. Callers that hand the instance between threads
 *       publish it safely (e.g. through an executor).
 *   <li><b>Read-only calls</b> ({@link #supports}, {@link #labels}, {@link #steeringLabel}, {@link
 *       #countTokens}, {@link #contextSize}, {@link #lmId}, {@link #rewardId}): safe from any
 *       thread at any time before {@link #close}, including while a decoding call runs; they touch
 *       no native state but the thread-safe tokenizer and return the same answer every time.
 *   <li>{@link #close}: once, after the last decoding call has returned; no call after it.
 * </ul>
 */
public interface GuidedEngine extends AutoCloseable {

  /**
   * Decodes a batch; results are in request order. Never returns null entries. A decoding call: one
   * at a time (see the class comment).
   */
  List<DecodeResult> generate(List<DecodeRequest> batch);

  /**
   * Scores every prefix of each text with the reward model, in one pass per batch. A decoding call:
   * one at a time (see the class comment).
   */
  List<PrefixScores> scorePrefixes(List<TextScoreRequest> batch);

  /**
   * Scores every prefix of each streamed reply so far, as {@link #scorePrefixes} scores {@code new
   * TextScoreRequest("", text)}; an engine may keep the reward model's state per stream id between
   * calls (a cache: the result is the same with or without it) and first drops what it keeps for
   * the ids in {@code forget} (streams that ended). This default keeps nothing. A decoding call:
   * one at a time (see the class comment).
   */
  default List<StreamScores> scoreStreams(List<StreamText> batch, Collection<String> forget) {
    return scorePrefixes(batch.stream().map(s -> new TextScoreRequest("", s.text())).toList())
        .stream()
        .map(StreamScores::uncached)
        .toList();
  }

  /**
   * A {@link ContinuousDecoding} over this engine, for a decode thread that owns it: requests join
   * and leave a running batch at token boundaries. This default decodes each iteration's admitted
   * requests as one {@link #generate} call (rows join between batches only); an engine that can
   * step a batch token by token overrides it. A decoding facility: drive it from the one thread
   * that makes this engine's decoding calls; close it before the engine.
   *
   * @param maxRows most rows decoding at once
   */
  default ContinuousDecoding continuous(int maxRows) {
    return new WholeCallDecoding(this, maxRows);
  }

  /**
   * Whether {@link #generate} can serve requests of this strategy (UNGUIDED always; ARM and RAD
   * need their reward model loaded). Safe to call from any thread.
   */
  boolean supports(Strategy strategy);

  /**
   * The reward model's labels, one score each in {@link PrefixScores#finalLabelScores()}; empty
   * when no reward model is loaded. Safe to call from any thread.
   */
  List<String> labels();

  /**
   * The label whose per-prefix scores are {@link PrefixScores#steering()} and that guidance steers
   * by; null when no reward model is loaded. Safe to call from any thread.
   */
  String steeringLabel();

  /**
   * Number of prompt tokens the text encodes to (for validation against the context size). Safe to
   * call from any thread, also while a decoding call runs.
   */
  int countTokens(String text);

  /** The LM's context size in tokens (n_positions). Safe to call from any thread. */
  int contextSize();

  /** Id of the language model, {@code name@sha256-prefix}. Safe to call from any thread. */
  String lmId();

  /**
   * Id of the reward model, {@code name@sha256-prefix} ({@code none} without one). Safe to call
   * from any thread.
   */
  String rewardId();

  /** Frees the native memory; once, after the last decoding call has returned. */
  @Override
  void close();
}
