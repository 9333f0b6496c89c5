package io.armguard.streams;

import io.armguard.config.ArmguardConfig;
import io.armguard.decode.GuidedEngine;
import io.armguard.moderate.ModerationPolicy;
import io.armguard.moderate.Task;
import io.armguard.schema.GenerationRequest;
import io.armguard.schema.Mode;
import java.time.Instant;
import java.util.Map;

/**
 * What every stream processor shares: the moderation policy, the task template of a rewrite and the
 * context-size rule. Makes one {@link StreamScorer} per processor (over its thread's engine).
 * Thread-safe.
 */
final class StreamScorerFactory {

  private final ModerationPolicy policy;
  private final TaskFactory tasks;
  private final int maxNewTokens;

  StreamScorerFactory(ArmguardConfig config) {
    this.policy = ModerationConfig.policy(config);
    this.tasks = new TaskFactory(config);
    this.maxNewTokens = config.decodeMaxNewTokens();
  }

  StreamScorer create(GuidedEngine engine) {
    String steering = engine.steeringLabel();
    float threshold = tasks.thresholds().resolvedFor(steering).of(steering);
    return new StreamScorer(engine, policy, threshold, this::taskOf);
  }

  /**
   * A stream snapshot as the MODERATE task a rewrite runs with: the service's decoding defaults, a
   * seed derived from the stream id (a replay after a crash writes the same completion), and the
   * stream's own threshold when it set one.
   */
  Task taskOf(StreamScorer.Snapshot s) {
    return tasks.toTask(
        GenerationRequest.newBuilder()
            .setRequestId(s.id())
            .setMode(Mode.MODERATE)
            .setPrompt(s.prompt())
            .setResponse(s.text())
            .setToxicityThreshold(s.options().threshold())
            .setCreatedAt(Instant.EPOCH)
            .setAttributes(Map.of())
            .build());
  }

  /**
   * Whether a reply of this text still fits the model: BOS + text for scoring, and under {@code
   * rewrite} (the stream's on-flag) the prompt, the text and a full completion for the LM.
   */
  boolean fits(GuidedEngine engine, String prompt, String text, StreamSettings.OnFlag onFlag) {
    int need = engine.countTokens(text) + 1;
    if (onFlag == StreamSettings.OnFlag.REWRITE) {
      need += engine.countTokens(prompt) + maxNewTokens;
    }
    return need <= engine.contextSize();
  }

  String redactionMask() {
    return policy.redactionMask();
  }

  String fallbackText() {
    return policy.fallbackText();
  }
}
