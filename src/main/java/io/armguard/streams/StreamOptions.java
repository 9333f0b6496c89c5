package io.armguard.streams;

import io.armguard.config.ArmguardConfig;
import io.armguard.schema.ReplyChunk;
import io.armguard.schema.StreamState;
import java.util.Locale;
import java.util.Optional;

/**
 * One stream's effective settings: those its first chunk (seq 0) set ({@code holdback_tokens},
 * {@code toxicity_threshold}, {@code on_flag}; kept in its {@link StreamState}, so they survive a
 * restart), else the service's. Immutable.
 *
 * @param holdbackTokens tokens a release stays behind the newest scored token
 * @param onFlag what the stream gets when it turns toxic
 * @param threshold the stream's own steering-label threshold, or null for the configured one
 */
record StreamOptions(int holdbackTokens, StreamSettings.OnFlag onFlag, Float threshold) {

  /** The settings {@code s} follows under the service's {@code service}. */
  static StreamOptions of(StreamState s, StreamSettings service) {
    return new StreamOptions(
        s.getHoldbackTokens() == null ? service.holdbackTokens() : s.getHoldbackTokens(),
        s.getOnFlag() == null ? service.onFlag() : onFlag(s.getOnFlag()),
        s.getToxicityThreshold());
  }

  /** Copies a first chunk's own settings into its stream's state (on_flag in lower case). */
  static void copy(ReplyChunk first, StreamState s) {
    s.setHoldbackTokens(first.getHoldbackTokens());
    s.setToxicityThreshold(first.getToxicityThreshold());
    s.setOnFlag(first.getOnFlag() == null ? null : first.getOnFlag().toLowerCase(Locale.ROOT));
  }

  /** Forgets a stream's own settings (it was rejected: they were never followed). */
  static void clear(StreamState s) {
    s.setHoldbackTokens(null);
    s.setToxicityThreshold(null);
    s.setOnFlag(null);
  }

  /**
   * Why a first chunk's own settings cannot be followed (the stream is then REJECTED), or empty;
   * the ranges are those of the service's keys.
   */
  static Optional<String> problem(ReplyChunk first) {
    Integer holdback = first.getHoldbackTokens();
    if (holdback != null
        && (holdback < 0 || holdback > ArmguardConfig.STREAM_HOLDBACK_TOKENS_MAX)) {
      return Optional.of(
          "holdback_tokens "
              + holdback
              + " outside [0, "
              + ArmguardConfig.STREAM_HOLDBACK_TOKENS_MAX
              + "]");
    }
    Float threshold = first.getToxicityThreshold();
    if (threshold != null && !(threshold >= 0f && threshold <= 1f)) {
      return Optional.of("toxicity_threshold " + threshold + " outside [0, 1]");
    }
    String onFlag = first.getOnFlag();
    if (onFlag != null
        && !ArmguardConfig.STREAM_ON_FLAG_VALUES.contains(onFlag.toLowerCase(Locale.ROOT))) {
      return Optional.of(
          "on_flag '"
              + onFlag
              + "' is not one of "
              + String.join(", ", ArmguardConfig.STREAM_ON_FLAG_VALUES));
    }
    return Optional.empty();
  }

  private static StreamSettings.OnFlag onFlag(String value) {
    return StreamSettings.OnFlag.valueOf(value.toUpperCase(Locale.ROOT));
  }
}
