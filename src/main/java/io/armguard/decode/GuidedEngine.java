package io.armguard.decode;

import java.util.List;

/**
 * The decoding engine as the rest of armguard sees it: batches of plain Java requests in, plain
 * Java results out. Implementations hold native memory: one instance per thread (like a DJL {@code
 * Predictor}), model weights shared between instances; close it when the thread is done.
 */
public interface GuidedEngine extends AutoCloseable {

  /** Decodes a batch; results are in request order. Never returns null entries. */
  List<DecodeResult> generate(List<DecodeRequest> batch);

  /** Scores every prefix of each text with the reward model, in one pass per batch. */
  List<PrefixScores> scorePrefixes(List<TextScoreRequest> batch);

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

  /** Number of prompt tokens the text encodes to (for validation against the context size). */
  int countTokens(String text);

  /** The LM's context size in tokens (n_positions). */
  int contextSize();

  /** Id of the language model, {@code name@sha256-prefix}. */
  String lmId();

  /** Id of the reward model, {@code name@sha256-prefix}. */
  String rewardId();

  @Override
  void close();
}
